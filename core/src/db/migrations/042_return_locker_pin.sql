-- A return AWB through a locker (Innoship locker return order, Sameday or FAN): the locker the
-- customer drops the parcel in, and the PIN that opens it when the courier gives one (Sameday),
-- kept on the return so the operator can send it to the customer. Null for any other return AWB.
alter table returns add column return_locker_id text, add column return_locker_pin text;
