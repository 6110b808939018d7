<?php
/**
 * The two WooCommerce webhooks (order.created, order.updated) that push orders to the core.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Creates, updates and pauses our webhooks through WooCommerce's CRUD (WC_Webhook), never by
 * writing its tables, so the data store and its caches stay consistent.
 */
final class Webhooks {

	public const TOPICS = array(
		'order.created' => 'Expedio: order created',
		'order.updated' => 'Expedio: order updated',
	);

	public function __construct(
		private Settings $settings,
		private Core_Client $core,
		private Notices $notices
	) {
	}

	/**
	 * Points our webhooks at the core with a fresh secret. Safe to run any number of times:
	 * the webhooks whose ids we stored are updated in place, so there are never duplicates.
	 *
	 * The secret is registered with the core *before* the webhooks are saved: a webhook signing
	 * with a secret the core does not know fails every delivery, and WooCommerce disables it
	 * after a few failures and never retries. If the core refuses, the webhooks keep their
	 * previous secret (still known to the core) and the merchant sees the core's message.
	 *
	 * @return bool Whether the webhooks are connected.
	 */
	public function connect(): bool {
		if ( ! class_exists( 'WC_Webhook' ) ) {
			$this->notices->add( Notice_Key::SETUP, 'error', __( 'WooCommerce is not active, so the order webhooks could not be created.', 'expedio' ) );
			return false;
		}
		if ( ! $this->settings->is_configured() ) {
			$this->notices->add(
				Notice_Key::SETUP,
				'warning',
				__( 'Orders are not sent to Expedio yet: press "Connect to Expedio" on the Expedio settings page.', 'expedio' ),
				true
			);
			return false;
		}

		$secret     = $this->generate_secret();
		$registered = $this->core->put_webhook_secret( $secret );
		if ( is_wp_error( $registered ) ) {
			$this->notices->add(
				Notice_Key::CONNECT,
				'error',
				sprintf(
					/* translators: %s: error message from the Expedio core */
					__( 'The webhooks were not connected because the core did not accept the webhook secret. %s', 'expedio' ),
					$registered->get_error_message()
				),
				true
			);
			return false;
		}

		$ids     = $this->stored_ids();
		$user_id = get_current_user_id();
		foreach ( self::TOPICS as $topic => $name ) {
			$webhook = isset( $ids[ $topic ] ) ? $this->find( (int) $ids[ $topic ] ) : null;
			if ( null === $webhook ) {
				$webhook = new \WC_Webhook();
			}
			$webhook->set_name( $name );
			$webhook->set_topic( $topic );
			$webhook->set_delivery_url( $this->settings->webhook_delivery_url() );
			$webhook->set_secret( $secret );
			$webhook->set_status( 'active' );
			// The payload is the order as this user would read it over the REST API, so it must be
			// someone who can read orders; keep the previous owner when there is no logged-in user.
			if ( $user_id > 0 ) {
				$webhook->set_user_id( $user_id );
			}
			$webhook->set_api_version( 'wp_api_v3' );
			$webhook->save();
			$ids[ $topic ] = (int) $webhook->get_id();
		}
		update_option( Options::WEBHOOK_IDS, $ids, false );

		$this->notices->remove( Notice_Key::SETUP );
		$this->notices->remove( Notice_Key::WEBHOOK_DISABLED );
		$this->notices->add( Notice_Key::CONNECT, 'success', __( 'Order webhooks are connected to the Expedio core.', 'expedio' ), false, true );
		return true;
	}

	/**
	 * Deactivation: stop deliveries but keep the webhooks (and their secret), so reactivating
	 * resumes with the same webhooks instead of creating new ones.
	 */
	public function pause(): void {
		foreach ( $this->stored_ids() as $id ) {
			$webhook = $this->find( (int) $id );
			if ( null !== $webhook && 'paused' !== $webhook->get_status() ) {
				$webhook->set_status( 'paused' );
				$webhook->save();
			}
		}
	}

	/**
	 * woocommerce_webhook_disabled_due_delivery_failures: WooCommerce turns a webhook off after
	 * repeated failed deliveries and never re-sends what failed. The core's periodic order sync
	 * still picks those orders up; the merchant needs to know deliveries stopped and how to
	 * turn them back on.
	 *
	 * @param int $webhook_id The webhook WooCommerce just disabled.
	 */
	public function on_disabled_due_delivery_failures( $webhook_id ): void {
		$topic = array_search( (int) $webhook_id, array_map( 'intval', $this->stored_ids() ), true );
		if ( false === $topic ) {
			return;
		}
		$this->notices->add(
			Notice_Key::WEBHOOK_DISABLED,
			'warning',
			sprintf(
				/* translators: %s: webhook topic, e.g. order.created */
				__( 'WooCommerce disabled the Expedio "%s" webhook after repeated failed deliveries and will not retry them. Expedio\'s periodic sync still fetches new orders, but more slowly. Check that the core is reachable, then press "Connect webhooks".', 'expedio' ),
				$topic
			),
			true
		);
	}

	/**
	 * A 50-character secret, like the one WooCommerce's REST API generates. WooCommerce signs
	 * with wp_specialchars_decode( $secret ), so a secret containing an entity such as "&lt;"
	 * would be signed with a different key than the one the core stores; drawing again until
	 * decoding changes nothing keeps the two identical whether or not the core decodes.
	 */
	private function generate_secret(): string {
		do {
			$secret = wp_generate_password( 50, true, true );
		} while ( wp_specialchars_decode( $secret, ENT_QUOTES ) !== $secret );
		return $secret;
	}

	/**
	 * Topic => current status (active | paused | disabled | missing) for the settings page.
	 *
	 * @return array<string, string>
	 */
	public function statuses(): array {
		$ids      = $this->stored_ids();
		$statuses = array();
		foreach ( array_keys( self::TOPICS ) as $topic ) {
			$webhook            = isset( $ids[ $topic ] ) ? $this->find( (int) $ids[ $topic ] ) : null;
			$statuses[ $topic ] = null === $webhook ? 'missing' : (string) $webhook->get_status();
		}
		return $statuses;
	}

	/**
	 * Topic => webhook id of the webhooks this plugin owns.
	 *
	 * @return array<string, int>
	 */
	public function stored_ids(): array {
		return Options::map( Options::WEBHOOK_IDS );
	}

	/**
	 * The webhook with this id, or null when it was deleted (e.g. by the merchant in
	 * WooCommerce → Settings → Advanced → Webhooks); some WooCommerce versions throw instead of
	 * returning null for a missing id.
	 */
	private function find( int $id ): ?\WC_Webhook {
		if ( $id <= 0 ) {
			return null;
		}
		try {
			$webhook = wc_get_webhook( $id );
		} catch ( \Exception $e ) {
			return null;
		}
		return $webhook instanceof \WC_Webhook ? $webhook : null;
	}
}
