"""Synthetic County Lines region with ground truth, and metrics that score linemap against it."""
