-- A return AWB made through the courier's return service (Cargus AwbPickup): a shipment that brings
-- a return's parcel from the customer to the warehouse, tracked like any shipment. It belongs to no
-- packing list and moves no order: return_id names the return it carries.
alter table shipments add column return_id bigint;
create index shipments_return on shipments (tenant_id, return_id) where return_id is not null;
