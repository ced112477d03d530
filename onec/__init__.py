"""The 1C stand-in: the published WSDL of the 1C web service "Payments" and a
small WSGI server that answers it like a 1C:Enterprise 8.3 publication."""
