from django.urls import path

from problems import views

urlpatterns = [
    path("", views.problem_list, name="problem_list"),
    path("problems/<str:code>/", views.problem_detail, name="problem_detail"),
    path("users/<str:handle>", views.user_points, name="user_points"),
    path("api/problems", views.api_problems, name="api_problems"),
]
