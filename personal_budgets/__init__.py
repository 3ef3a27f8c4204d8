"""Personal budgets: direct payments, managed and third-party arrangements, section J."""
