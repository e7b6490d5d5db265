from django.urls import path

from articles import api, feeds, views
from articles.stories import views as story_views

app_name = "articles"
urlpatterns = [
    path("", views.search, name="search"),
    path("api/search", api.search, name="search_api"),
    path("search/feed/", feeds.SearchFeed(), name="search_feed"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("articles/<int:pk>/<slug:slug>/", views.article_detail, name="detail"),
    path("stories/<int:pk>/<slug:slug>/", story_views.story_detail, name="story"),
]
