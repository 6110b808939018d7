-- The packing station: a warehouse may ask its pickers for the bin before the item; each packed
-- unit is scanned before the parcel closes (or a supervisor's override is on record); the last AWB
-- the courier refused for the delivery address is kept so an unknown locality shows as a stall.
alter table warehouses add column scan_location_first boolean not null default false;

alter table packing_list_lines add column scanned integer not null default 0;
alter table packing_list_lines add constraint packing_list_lines_scanned check (scanned >= 0 and scanned <= quantity);

alter table packing_lists add column scan_override_by bigint;
alter table packing_lists add column scan_override_at timestamptz;
alter table packing_lists add column scan_override_reason text;
-- {courier, message, details: [{path, reason}], at}: cleared when the address changes or the AWB is made.
alter table packing_lists add column awb_refusal jsonb;
