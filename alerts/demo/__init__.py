"""The alerts demo data: subscriptions of the demo NGOs and of a demo traveler (see `subscriptions`)."""
