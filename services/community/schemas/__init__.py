"""What community's routes take and give (pydantic), and how each record is presented."""
