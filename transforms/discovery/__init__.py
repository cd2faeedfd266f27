"""Finding the policy as a person clicking through the site would: the links a page offers
in its markup and scripts (markup.py, scripts.py), which of them to try (candidates.py), and
whether a page reached is the policy (verdict.py). Pure functions of the page's text."""
