<?php
/**
 * Deleting the plugin removes its webhooks and options; deactivating only pauses them.
 *
 * @package Expedio
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

$expedio_ids = get_option( 'expedio_webhook_ids', array() );
if ( is_array( $expedio_ids ) && function_exists( 'wc_get_webhook' ) ) {
	foreach ( $expedio_ids as $expedio_id ) {
		try {
			$expedio_webhook = wc_get_webhook( (int) $expedio_id );
			if ( $expedio_webhook ) {
				$expedio_webhook->delete( true );
			}
		} catch ( \Exception $e ) {
			// Already gone; nothing to delete.
			continue;
		}
	}
}

foreach ( array( 'expedio_core_url', 'expedio_channel_id', 'expedio_api_key', 'expedio_webhook_ids', 'expedio_notices' ) as $expedio_option ) {
	delete_option( $expedio_option );
}
