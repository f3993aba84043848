"""Payment liability (betalningsansvar): rules, facts, statements, pages."""
