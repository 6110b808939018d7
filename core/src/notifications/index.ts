/** The notifications area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { mailSettingsFor, sendMail } from './mailer.ts';
export { channelNotificationsSchema, parseChannelNotifications, sendsWhatsappAt, whatsappTargetFor } from './notify-settings.ts';
export type { ChannelNotifications, CustomerEvent } from './notify-settings.ts';
export { customerLanguage } from './templates/customer-language.ts';
export { shipmentCancelledCustomerNote } from './templates/shipment-cancelled-customer-note.ts';
export { shippedCustomerNote } from './templates/shipped-customer-note.ts';
export { composeShippedEmail } from './templates/shipped-email.ts';
export { whatsappShipmentParams } from './templates/whatsapp-shipment-params.ts';
export { sendWhatsappTemplate, whatsappRecipient } from './whatsapp-client.ts';
export { getSmtpSettings, saveSmtpSettings, tenantMailSettings, testSmtpSettings } from './smtp-settings.ts';
export type { SmtpSettingsInput, SmtpSettingsView } from './smtp-settings.ts';
export { composeVoucherEmail } from './templates/voucher-email.ts';
