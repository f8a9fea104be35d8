"""Documents made from the report figures: the status report's charts, PDF and CSV."""
