from django.http import JsonResponse
from django.shortcuts import render

from backend.api.errors import json_error


def home(request):
    return render(request, "web/home.html")


def healthz(request):
    return JsonResponse({"status": "ok"})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _is_api(request):
        return json_error(400, "bad_request", "The request was refused.")
    return render(request, "web/error.html", {"title": "Bad request"}, status=400)


def permission_denied(request, exception=None):
    if _is_api(request):
        return json_error(403, "permission_denied", "You are not allowed to do that.")
    return render(request, "web/error.html", {"title": "Not allowed"}, status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return json_error(404, "not_found", "Not found.")
    return render(request, "web/error.html", {"title": "Page not found"}, status=404)


def server_error(request):
    if _is_api(request):
        return json_error(500, "server_error", "Something went wrong on our side.")
    return render(request, "web/error.html", {"title": "Something went wrong"}, status=500)
