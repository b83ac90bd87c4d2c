"""Plan d'actions: the local strategy as a tree and a table, the action editor, the dashboard, exports."""
