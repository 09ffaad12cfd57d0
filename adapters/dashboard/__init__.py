"""The web dashboard: pages for managers, CX leads, admins and advisers; sign-in from chat."""
