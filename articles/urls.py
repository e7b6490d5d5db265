from django.urls import path

from articles import api, entity_pages, export, feeds, views
from articles.citations import views as cite_views
from articles.stories import views as story_views

app_name = "articles"
urlpatterns = [
    path("", views.search, name="search"),
    path("api/search", api.search, name="search_api"),
    path("search/feed/", feeds.SearchFeed(), name="search_feed"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("export/search.csv", export.export_csv, name="export_csv"),
    path("export/search.jsonl", export.export_jsonl, name="export_jsonl"),
    path("articles/<int:pk>/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/<slug:slug>/cite/", cite_views.cite_article, name="cite"),
    # Without the slug (a cited id, a cut link): redirected to the full address.
    path("articles/<int:pk>/", views.article_detail, {"slug": ""}, name="detail_short"),
    path("stories/<int:pk>/<slug:slug>/", story_views.story_detail, name="story"),
    path("stories/<int:pk>/", story_views.story_detail, {"slug": ""}, name="story_short"),
    # A person's, an organisation's or a place's articles (the entity facets' values).
    path("entities/<str:kind>/<path:name>/", entity_pages.entity, name="entity"),
]
