import { z } from 'zod';

/** The couriers we speak to; Innoship is an aggregator that itself routes to Cargus, FAN, Sameday, DPD, GLS… */
export const COURIER_CODES = ['innoship', 'cargus', 'fancourier', 'sameday', 'bosta'] as const;
export type CourierCode = (typeof COURIER_CODES)[number];

/** How people name them (the pack screen, manifests). */
export const COURIER_LABELS: Record<CourierCode, string> = {
  innoship: 'Innoship',
  cargus: 'Cargus',
  fancourier: 'FAN Courier',
  sameday: 'Sameday',
  bosta: 'Bosta',
};

/** The services every courier adapter maps. */
export const COURIER_SERVICES = ['standard', 'express', 'locker'] as const;
export type CourierService = (typeof COURIER_SERVICES)[number];

/** One tracking vocabulary for every courier (shared/contracts/couriers.md §6.1). */
export const TRACKING_STATUSES = [
  'created',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'failed_attempt',
  'returned_to_sender',
  'cancelled',
  'exception',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** A shipment is `creating` until the courier confirms the AWB, then it follows the tracking. */
export const SHIPMENT_STATUSES = ['creating', ...TRACKING_STATUSES] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const LABEL_FORMATS = ['A4', 'A6'] as const;

export const CourierCodeSchema = z.enum(COURIER_CODES);
export const TrackingStatusSchema = z.enum(TRACKING_STATUSES);
export const ShipmentStatusSchema = z.enum(SHIPMENT_STATUSES);
export const LabelFormatSchema = z.enum(LABEL_FORMATS);
