from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

# A busy database gets a "try again" page (503), anything else the site's 500 page.
handler500 = "newsarchive.errors.server_error"
