-- A co-signature given on paper is recorded by staff on the deputy's behalf
-- (issue 11): who recorded it. NULL when the deputy answered in person.
ALTER TABLE suggestion_signer ADD COLUMN recorded_by BIGINT REFERENCES app_user(id);
