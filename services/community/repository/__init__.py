"""Every query of the community service. Tenant isolation comes from the transaction (RLS).

Partners and the list of municipalities served are shared reference data (no RLS); every
other table is the tenant's.
"""
