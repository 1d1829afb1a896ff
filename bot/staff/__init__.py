"""What ministry staff take out of the bot: exports, the per-theme compilation and figures."""
