"""A small gazetteer: capitals and major news cities, countries, and the regions datelines name.

It only has to answer two questions a dateline raises: "which country is this city in?" and
"is this word after the city a country, a US state or a Canadian province?".
"""

from __future__ import annotations

import re
import unicodedata

# One country a line: "Country: city; city; ...". The first city is the capital.
_CITIES = """
Afghanistan: Kabul; Kandahar; Herat; Mazar-i-Sharif
Albania: Tirana
Algeria: Algiers; Oran
Andorra: Andorra la Vella
Angola: Luanda
Argentina: Buenos Aires; Cordoba; Rosario; Mendoza
Armenia: Yerevan
Australia: Canberra; Sydney; Melbourne; Brisbane; Perth; Adelaide; Darwin; Hobart
Austria: Vienna; Salzburg; Innsbruck
Azerbaijan: Baku
Bahamas: Nassau
Bahrain: Manama
Bangladesh: Dhaka; Chittagong; Cox's Bazar
Barbados: Bridgetown
Belarus: Minsk
Belgium: Brussels; Antwerp; Ghent; Liege
Belize: Belmopan
Benin: Porto-Novo; Cotonou
Bhutan: Thimphu
Bolivia: La Paz; Sucre; Santa Cruz
Bosnia and Herzegovina: Sarajevo; Banja Luka
Botswana: Gaborone
Brazil: Brasilia; Rio de Janeiro; Sao Paulo; Salvador; Belo Horizonte; Recife; Porto Alegre; \
Manaus; Santos; Curitiba; Fortaleza; Belem
Brunei: Bandar Seri Begawan
Bulgaria: Sofia
Burkina Faso: Ouagadougou
Burundi: Gitega; Bujumbura
Cambodia: Phnom Penh
Cameroon: Yaounde; Douala
Canada: Ottawa; Toronto; Montreal; Vancouver; Calgary; Edmonton; Winnipeg; Quebec City; \
Halifax; Regina; Saskatoon; Victoria
Cape Verde: Praia
Central African Republic: Bangui
Chad: N'Djamena
Chile: Santiago; Valparaiso
China: Beijing; Shanghai; Guangzhou; Shenzhen; Wuhan; Chengdu; Tianjin; Chongqing; Xi'an; Nanjing
Colombia: Bogota; Medellin; Cali; Cartagena
Comoros: Moroni
Costa Rica: San Jose
Croatia: Zagreb; Split
Cuba: Havana
Cyprus: Nicosia; Limassol
Czech Republic: Prague; Brno
Democratic Republic of the Congo: Kinshasa; Goma; Lubumbashi; Bukavu
Denmark: Copenhagen; Aarhus
Djibouti: Djibouti
Dominican Republic: Santo Domingo
Ecuador: Quito; Guayaquil
Egypt: Cairo; Alexandria; Sharm el-Sheikh
El Salvador: San Salvador
Equatorial Guinea: Malabo
Eritrea: Asmara
Estonia: Tallinn
Eswatini: Mbabane
Ethiopia: Addis Ababa
Fiji: Suva
Finland: Helsinki
France: Paris; Marseille; Lyon; Toulouse; Nice; Strasbourg; Bordeaux; Lille; Nantes; Calais
Gabon: Libreville
Gambia: Banjul
Georgia: Tbilisi
Germany: Berlin; Bonn; Frankfurt; Munich; Hamburg; Cologne; Duesseldorf; Dusseldorf; Stuttgart; \
Leipzig; Dresden; Hanover; Ludwigshafen
Ghana: Accra
Greece: Athens; Thessaloniki
Guatemala: Guatemala City
Guinea: Conakry
Guinea-Bissau: Bissau
Guyana: Georgetown
Haiti: Port-au-Prince
Honduras: Tegucigalpa
Hong Kong: Hong Kong
Hungary: Budapest
Iceland: Reykjavik
India: New Delhi; Mumbai; Bombay; Kolkata; Calcutta; Chennai; Madras; Bangalore; Bengaluru; \
Hyderabad; Ahmedabad; Srinagar
Indonesia: Jakarta; Surabaya; Bali; Denpasar
Iran: Tehran; Isfahan; Mashhad; Tabriz
Iraq: Baghdad; Basra; Mosul; Irbil; Erbil; Kirkuk; Najaf; Karbala; Sulaimaniyah; Fallujah
Ireland: Dublin; Cork
Israel: Jerusalem; Tel Aviv; Haifa
Italy: Rome; Milan; Naples; Turin; Florence; Venice; Genoa; Palermo; Bologna
Ivory Coast: Yamoussoukro; Abidjan
Jamaica: Kingston
Japan: Tokyo; Osaka; Kyoto; Yokohama; Nagoya; Kobe; Hiroshima; Fukushima; Sapporo
Jordan: Amman
Kazakhstan: Astana; Almaty
Kenya: Nairobi; Mombasa
Kosovo: Pristina
Kuwait: Kuwait City
Kyrgyzstan: Bishkek
Laos: Vientiane
Latvia: Riga
Lebanon: Beirut
Lesotho: Maseru
Liberia: Monrovia
Libya: Tripoli; Benghazi
Liechtenstein: Vaduz
Lithuania: Vilnius; Kaunas
Luxembourg: Luxembourg
Madagascar: Antananarivo
Malawi: Lilongwe
Malaysia: Kuala Lumpur
Maldives: Male
Mali: Bamako; Timbuktu
Malta: Valletta
Mauritania: Nouakchott
Mauritius: Port Louis
Mexico: Mexico City; Guadalajara; Monterrey; Tijuana; Acapulco; Cancun
Moldova: Chisinau
Monaco: Monaco
Mongolia: Ulaanbaatar; Ulan Bator
Montenegro: Podgorica
Morocco: Rabat; Casablanca; Marrakech; Tangier
Mozambique: Maputo
Myanmar: Naypyitaw; Yangon; Rangoon; Mandalay
Namibia: Windhoek
Nepal: Kathmandu
Netherlands: Amsterdam; The Hague; Rotterdam; Utrecht; Eindhoven
New Zealand: Wellington; Auckland; Christchurch
Nicaragua: Managua
Niger: Niamey
Nigeria: Abuja; Lagos; Kano
North Korea: Pyongyang
North Macedonia: Skopje
Norway: Oslo; Bergen
Oman: Muscat
Pakistan: Islamabad; Karachi; Lahore; Peshawar; Quetta; Rawalpindi
Palestinian Territories: Ramallah; Gaza City; Gaza; Bethlehem; Hebron; Nablus; Jenin; Rafah; \
Khan Younis
Panama: Panama City
Papua New Guinea: Port Moresby
Paraguay: Asuncion
Peru: Lima; Cuzco
Philippines: Manila; Quezon City; Cebu; Davao
Poland: Warsaw; Krakow; Gdansk; Wroclaw
Portugal: Lisbon; Porto
Qatar: Doha
Republic of the Congo: Brazzaville
Romania: Bucharest
Russia: Moscow; St. Petersburg; Saint Petersburg; Vladivostok; Novosibirsk; Yekaterinburg; \
Kazan; Sochi; Murmansk
Rwanda: Kigali
Saudi Arabia: Riyadh; Jeddah; Mecca; Medina; Dhahran
Senegal: Dakar
Serbia: Belgrade
Sierra Leone: Freetown
Singapore: Singapore
Slovakia: Bratislava
Slovenia: Ljubljana
Somalia: Mogadishu
South Africa: Pretoria; Johannesburg; Cape Town; Durban; Soweto
South Korea: Seoul; Busan; Incheon
South Sudan: Juba
Spain: Madrid; Barcelona; Valencia; Seville; Bilbao; Malaga
Sri Lanka: Colombo
Sudan: Khartoum; Port Sudan; El Fasher
Suriname: Paramaribo
Sweden: Stockholm; Gothenburg; Malmo
Switzerland: Bern; Berne; Geneva; Zurich; Basel; Lausanne; Davos
Syria: Damascus; Aleppo; Homs; Idlib
Taiwan: Taipei; Kaohsiung
Tajikistan: Dushanbe
Tanzania: Dodoma; Dar es Salaam; Zanzibar
Thailand: Bangkok; Chiang Mai; Phuket
Togo: Lome
Trinidad and Tobago: Port of Spain
Tunisia: Tunis
Turkey: Ankara; Istanbul; Izmir; Adana
Turkmenistan: Ashgabat
Uganda: Kampala
Ukraine: Kyiv; Kiev; Kharkiv; Odesa; Odessa; Lviv; Dnipro; Zaporizhzhia; Kherson; Mariupol
United Arab Emirates: Abu Dhabi; Dubai; Sharjah
United Kingdom: London; Manchester; Birmingham; Liverpool; Leeds; Glasgow; Edinburgh; Cardiff; \
Belfast; Bristol; Oxford; Cambridge
United States: Washington; New York; Los Angeles; Chicago; Houston; Philadelphia; Phoenix; \
San Antonio; San Diego; Dallas; Austin; Jacksonville; Fort Worth; Columbus; Charlotte; \
San Francisco; Indianapolis; Seattle; Denver; Boston; Nashville; Detroit; Oklahoma City; \
Portland; Las Vegas; Memphis; Louisville; Baltimore; Milwaukee; Albuquerque; Tucson; Fresno; \
Sacramento; Kansas City; Atlanta; Miami; Omaha; Minneapolis; St. Paul; St. Louis; Cleveland; \
Pittsburgh; Cincinnati; New Orleans; Tampa; Orlando; Honolulu; Anchorage; Salt Lake City; \
Des Moines; Hartford; Richmond; Raleigh; Buffalo; Rochester; Newark; Stamford; Greenwich; \
Princeton; Tulsa; Wichita; Little Rock; Birmingham; Baton Rouge; Boise; Madison; Peoria; \
Springfield; Albany; Trenton; Annapolis; Harrisburg; Providence; Burlington; Montpelier; \
Concord; Augusta; Charleston; Columbia; Tallahassee; Montgomery; Jackson; Frankfort; \
Lansing; Topeka; Lincoln; Bismarck; Pierre; Helena; Cheyenne; Carson City; Santa Fe; \
Olympia; Juneau; Dover; Palo Alto; Cupertino; Menlo Park; Mountain View; Silicon Valley; \
Pasadena; Long Beach; Oakland; San Jose; Fort Lauderdale; West Palm Beach; Palm Beach; \
Greensboro; Winston-Salem; Durham; Akron; Toledo; Dayton; Grand Rapids; Ann Arbor; \
Dearborn; Flint; Green Bay; Sioux Falls; Sioux City; Joliet; Evanston; Schaumburg; \
Pittsburg; White Plains; Armonk; Cape Canaveral; El Paso; Corpus Christi; Lubbock; \
Midland; Galveston; Reno; Spokane; Tacoma; Ferguson; Uvalde; Parkland; Flint
Uruguay: Montevideo
Uzbekistan: Tashkent; Samarkand
Vatican City: Vatican City
Venezuela: Caracas; Maracaibo
Vietnam: Hanoi; Ho Chi Minh City; Saigon; Da Nang
Yemen: Sanaa; Aden; Hodeida
Zambia: Lusaka
Zimbabwe: Harare; Bulawayo
"""

# Other names a dateline may give a country; canonical names are those used in _CITIES.
_COUNTRY_ALIASES = {
    "the netherlands": "Netherlands",
    "holland": "Netherlands",
    "u.s.": "United States",
    "us": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "united states of america": "United States",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "u.k.": "United Kingdom",
    "uk": "United Kingdom",
    "england": "United Kingdom",
    "scotland": "United Kingdom",
    "wales": "United Kingdom",
    "northern ireland": "United Kingdom",
    "west germany": "West Germany",
    "east germany": "East Germany",
    "soviet union": "Soviet Union",
    "ussr": "Soviet Union",
    "russian federation": "Russia",
    "the philippines": "Philippines",
    "the gambia": "Gambia",
    "the bahamas": "Bahamas",
    "czechia": "Czech Republic",
    "cote d'ivoire": "Ivory Coast",
    "burma": "Myanmar",
    "zaire": "Democratic Republic of the Congo",
    "congo": "Republic of the Congo",
    "dr congo": "Democratic Republic of the Congo",
    "drc": "Democratic Republic of the Congo",
    "korea": "South Korea",
    "south korea": "South Korea",
    "republic of korea": "South Korea",
    "west bank": "Palestinian Territories",
    "gaza strip": "Palestinian Territories",
    "puerto rico": "Puerto Rico",
    "taiwan": "Taiwan",
    "macedonia": "North Macedonia",
    "swaziland": "Eswatini",
    "emirates": "United Arab Emirates",
    "uae": "United Arab Emirates",
}

# Regions a dateline names after the city: "Full name: abbreviations" (AP style and postal).
_REGIONS = {
    "United States": """
Alabama: Ala AL; Alaska: AK; Arizona: Ariz AZ; Arkansas: Ark AR; California: Calif Cal CA;
Colorado: Colo CO; Connecticut: Conn CT; Delaware: Del DE; District of Columbia: DC;
Florida: Fla FL; Georgia: Ga GA; Hawaii: HI; Idaho: ID; Illinois: Ill IL; Indiana: Ind IN;
Iowa: IA; Kansas: Kan Kans KS; Kentucky: Ky KY; Louisiana: La LA; Maine: Me ME;
Maryland: Md MD; Massachusetts: Mass MA; Michigan: Mich MI; Minnesota: Minn MN;
Mississippi: Miss MS; Missouri: Mo MO; Montana: Mont MT; Nebraska: Neb Nebr NE;
Nevada: Nev NV; New Hampshire: NH; New Jersey: NJ; New Mexico: NM; New York: NY;
North Carolina: NC; North Dakota: ND; Ohio: OH; Oklahoma: Okla OK; Oregon: Ore Oreg OR;
Pennsylvania: Pa Penn PA; Rhode Island: RI; South Carolina: SC; South Dakota: SD;
Tennessee: Tenn TN; Texas: Tex TX; Utah: UT; Vermont: Vt VT; Virginia: Va VA;
Washington: Wash WA; West Virginia: WVa WV; Wisconsin: Wis Wisc WI; Wyoming: Wyo WY
""",
    "Canada": """
Alberta: Alta AB; British Columbia: BC; Manitoba: Man MB; New Brunswick: NB;
Newfoundland: Nfld NL; Nova Scotia: NS; Ontario: Ont ON; Prince Edward Island: PEI PE;
Quebec: Que PQ QC; Saskatchewan: Sask SK; Yukon: YT
""",
    "Australia": """
New South Wales: NSW; Queensland: Qld; Victoria: Vic; Tasmania: Tas; Western Australia: WA
""",
}


def key(name: str) -> str:
    """Lookup key: lower case, accents and dots dropped, spaces collapsed ("N.Y." -> "ny")."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(ascii_name.lower().replace(".", "").replace("’", "'").split())


def _build() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    cities: dict[str, str] = {}
    countries: dict[str, str] = {}
    for line in _CITIES.replace("\\\n", " ").strip().splitlines():
        country, _, names = line.partition(":")
        countries[key(country)] = country
        for city in names.split(";"):
            cities.setdefault(key(city), country)
    for alias, country in _COUNTRY_ALIASES.items():
        countries[key(alias)] = country
    regions: dict[str, str] = {}
    for country, table in _REGIONS.items():
        for entry in table.replace("\n", " ").split(";"):
            name, _, abbreviations = entry.partition(":")
            for region in (name, *abbreviations.split()):
                regions.setdefault(key(region), country)
    regions[key("D.C.")] = "United States"
    return cities, countries, regions


CITY_COUNTRY, COUNTRIES, REGION_COUNTRY = _build()

_SPLIT_WORD = re.compile(r"([ \-/])")
_SMALL_WORD_LIST = "of de del da do du des la le es al el au aux en on upon am an der den y i"
SMALL_WORDS = frozenset(_SMALL_WORD_LIST.split())


def country_of_city(city: str) -> str | None:
    """Country of a capital or major news city (or of a city-state / country named alone)."""
    k = key(city)
    return CITY_COUNTRY.get(k) or COUNTRIES.get(k)


def country_of_region(region: str) -> str | None:
    """Country a dateline region names: that of a state/province, else the country named.

    States come first: after a US city "Georgia" is the state more often than the country.
    """
    k = key(region)
    return REGION_COUNTRY.get(k) or REGION_COUNTRY.get(k.replace(" ", "")) or COUNTRIES.get(k)


def title_case(name: str) -> str:
    """A dateline's capitals as a name: "NEW YORK" -> "New York", "PORT-AU-PRINCE" ->
    "Port-au-Prince"."""
    parts = _SPLIT_WORD.split(name.strip())
    out: list[str] = []
    first = True
    for part in parts:
        if not part or part in " -/":
            out.append(part)
            continue
        lower = part.lower()
        if not first and lower in SMALL_WORDS:
            out.append(lower)
        else:
            out.append(_capitalise(lower))
        first = False
    return "".join(out)


def _capitalise(word: str) -> str:
    """Capitalise a word; after an apostrophe too unless one letter follows ("St. John's")."""
    head, apostrophe, tail = word.partition("'")
    if not apostrophe:
        head, apostrophe, tail = word.partition("’")
    if apostrophe and len(tail) > 1:
        return head[:1].upper() + head[1:] + apostrophe + tail[:1].upper() + tail[1:]
    return word[:1].upper() + word[1:]
