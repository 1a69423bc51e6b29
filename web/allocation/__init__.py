"""The directorate allocator's pages: referrals to municipalities, and national capacity."""
