"""Campaign review: targets back-calculated down the funnel, and lift after a launch."""
