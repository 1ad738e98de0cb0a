"""Processing provider `hernetwin` and its algorithms, thin over core/."""
