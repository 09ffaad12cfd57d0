"""Local web chat: the third ChatGateway, used by the demo and end-to-end tests."""
