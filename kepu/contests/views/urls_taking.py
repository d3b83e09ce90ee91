"""URLs of the taking area."""

urlpatterns = []
