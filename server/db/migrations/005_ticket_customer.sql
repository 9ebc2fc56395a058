-- The customer a ticket was issued for, when the kiosk identified them: the BSS customer id (for the
-- counter's account summary) and a masked name; the phone stays masked (phone_masked) and hashed.
ALTER TABLE tickets ADD COLUMN customer_ref TEXT;
ALTER TABLE tickets ADD COLUMN customer_name_masked TEXT;
