"""The local web chat: the third ChatGateway, used by the demo and the end-to-end test."""
