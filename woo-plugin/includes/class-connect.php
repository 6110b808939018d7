<?php
/**
 * "Connect to Expedio": pairs this store with a tenant of the core and hands the core a REST key,
 * without the merchant copying a key, a secret or a channel id.
 *
 * Why not WooCommerce's own wc-auth endpoint (/wc-auth/v1/authorize): WC_Auth refuses a
 * callback_url that is not https ("The callback_url needs to be over SSL") and posts the keys to it
 * with wp_safe_remote_post(), which refuses loopback and private hosts, so a core on
 * http://127.0.0.1:3000 or a LAN address could never receive them. The plugin already runs inside
 * the admin, so it creates the key itself exactly as WC_Auth::create_keys() does, after the admin
 * ticked the consent box, and sends it to the core over one authenticated call.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * The two admin-post handlers of the connect flow and the key they create.
 *
 * 1. expedio_connect_start (form post: core URL + consent): remembers a one-time state and sends
 *    the browser to {core}/warehouse/connect/woocommerce, where a manager of the Expedio workspace
 *    logs in and allows the store.
 * 2. expedio_connect_return (the core sends the browser back with expedio_code + state): creates a
 *    read_write REST key, POSTs it to {core}/api/v1/installations/woocommerce with the code as the
 *    bearer, stores the channel id and API key it gets back, and connects the webhooks.
 */
final class Connect {

	public const ACTION_START  = 'expedio_connect_start';
	public const ACTION_RETURN = 'expedio_connect_return';

	/** How long the browser may take on the core's login and consent page. */
	private const STATE_TTL = 900;

	public function __construct(
		private Settings $settings,
		private Core_Client $core,
		private Webhooks $webhooks,
		private Notices $notices
	) {
	}

	/**
	 * admin_post_expedio_connect_start.
	 */
	public function handle_start(): void {
		Access::verify_form_post( self::ACTION_START );
		$input = wp_unslash( $_POST );

		$error = $this->settings->save_core_url( isset( $input['core_url'] ) ? (string) $input['core_url'] : '' );
		if ( null !== $error ) {
			$this->fail( $error );
		}
		if ( empty( $input['consent'] ) ) {
			$this->fail( __( 'Tick the box to let the plugin create a WooCommerce REST API key (read/write) for Expedio; without it Expedio cannot read orders or write statuses back.', 'expedio' ) );
		}

		$state = wp_generate_password( 32, false );
		update_option(
			Options::CONNECT_STATE,
			array(
				'state'   => $state,
				'user_id' => get_current_user_id(),
				'expires' => time() + self::STATE_TTL,
			),
			false
		);

		$return_url = admin_url( 'admin-post.php' ) . '?' . http_build_query(
			array(
				'action'   => self::ACTION_RETURN,
				'_wpnonce' => wp_create_nonce( self::ACTION_RETURN ),
			),
			'',
			'&',
			PHP_QUERY_RFC3986
		);
		$consent_url = $this->settings->core_url() . '/warehouse/connect/woocommerce?' . http_build_query(
			array(
				'store_url'  => $this->store_url(),
				'return_url' => $return_url,
				'state'      => $state,
			),
			'',
			'&',
			PHP_QUERY_RFC3986
		);
		// wp_safe_redirect() reaches the core because Settings::allow_core_redirect() lists its host.
		wp_safe_redirect( $consent_url );
		exit;
	}

	/**
	 * admin_post_expedio_connect_return — the browser coming back from the core.
	 */
	public function handle_return(): void {
		Access::verify_form_post( self::ACTION_RETURN );

		$stored = Options::map( Options::CONNECT_STATE );
		delete_option( Options::CONNECT_STATE );
		$state = isset( $_GET['state'] ) ? sanitize_text_field( wp_unslash( (string) $_GET['state'] ) ) : '';
		if ( ! isset( $stored['state'], $stored['user_id'], $stored['expires'] )
			|| ! hash_equals( (string) $stored['state'], $state )
			|| (int) $stored['user_id'] !== get_current_user_id()
			|| (int) $stored['expires'] < time() ) {
			$this->fail( __( 'This connection attempt was not started here or took too long; press "Connect to Expedio" again.', 'expedio' ) );
		}
		if ( isset( $_GET['expedio_error'] ) ) {
			$this->fail( __( 'The connection was cancelled on the Expedio page; nothing was changed.', 'expedio' ) );
		}
		$code = isset( $_GET['expedio_code'] ) ? sanitize_text_field( wp_unslash( (string) $_GET['expedio_code'] ) ) : '';
		if ( ! preg_match( '/^expc_[A-Za-z0-9_-]{20,100}$/', $code ) ) {
			$this->fail( __( 'Expedio sent back no connect code; press "Connect to Expedio" again.', 'expedio' ) );
		}

		$this->install( $code );
		$this->back_to_page();
	}

	/**
	 * Creates the REST key, hands it to the core and stores what the core answers. On any failure
	 * the new key is deleted again (as WC_Auth::maybe_delete_key does) and the merchant reads why.
	 *
	 * @param string $bearer The connect code (or an API key of the Expedio workspace).
	 * @return bool Whether the store is connected.
	 */
	public function install( string $bearer ): bool {
		$key    = $this->create_key();
		$result = $this->core->install_woocommerce(
			$bearer,
			array(
				'storeUrl'       => $this->store_url(),
				'storeName'      => wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES ),
				'consumerKey'    => $key['consumer_key'],
				'consumerSecret' => $key['consumer_secret'],
				'keyPermissions' => 'read_write',
			)
		);
		if ( is_wp_error( $result ) ) {
			$this->delete_key( $key['key_id'] );
			$this->notices->add(
				Notice_Key::CONNECT,
				'error',
				sprintf(
					/* translators: %s: error message from the Expedio core */
					__( 'The store was not connected to Expedio. %s', 'expedio' ),
					$result->get_error_message()
				),
				true
			);
			return false;
		}

		// The key of a previous connection is no longer used by the core; do not leave it lying around.
		$previous = (int) get_option( Options::REST_KEY_ID, 0 );
		if ( $previous > 0 && $previous !== $key['key_id'] ) {
			$this->delete_key( $previous );
		}
		update_option( Options::REST_KEY_ID, $key['key_id'], false );
		update_option( Options::CHANNEL_ID, (string) $result['channelId'] );
		// Not autoloaded: the key is needed only when talking to the core, not on every page.
		update_option( Options::API_KEY, (string) $result['apiKey'], false );

		$this->notices->add(
			Notice_Key::SETTINGS,
			'success',
			sprintf(
				/* translators: %s: Expedio channel id */
				__( 'Connected to Expedio as channel %s. Products are being synced.', 'expedio' ),
				(string) $result['channelId']
			),
			false,
			true
		);
		$this->webhooks->connect();
		return true;
	}

	/**
	 * The store's identity for the core: its home URL, which is also what WooCommerce signs OAuth
	 * 1.0a requests against on plain http.
	 */
	public function store_url(): string {
		return untrailingslashit( home_url() );
	}

	/**
	 * A read_write key for the current user, as WC_Auth::create_keys() makes one: the consumer key
	 * stored only as wc_api_hash(), the secret in clear (WooCommerce needs it to check signatures),
	 * the last seven characters for the list in WooCommerce → Settings → Advanced → REST API.
	 *
	 * @return array{key_id: int, consumer_key: string, consumer_secret: string}
	 */
	private function create_key(): array {
		global $wpdb;

		$consumer_key    = 'ck_' . wc_rand_hash();
		$consumer_secret = 'cs_' . wc_rand_hash();
		$wpdb->insert(
			$wpdb->prefix . 'woocommerce_api_keys',
			array(
				'user_id'         => get_current_user_id(),
				'description'     => sprintf( 'Expedio - API (%s)', gmdate( 'Y-m-d H:i:s' ) ),
				'permissions'     => 'read_write',
				'consumer_key'    => wc_api_hash( $consumer_key ),
				'consumer_secret' => $consumer_secret,
				'truncated_key'   => substr( $consumer_key, -7 ),
			),
			array( '%d', '%s', '%s', '%s', '%s', '%s' )
		);
		return array(
			'key_id'          => (int) $wpdb->insert_id,
			'consumer_key'    => $consumer_key,
			'consumer_secret' => $consumer_secret,
		);
	}

	private function delete_key( int $key_id ): void {
		global $wpdb;
		if ( $key_id > 0 ) {
			$wpdb->delete( $wpdb->prefix . 'woocommerce_api_keys', array( 'key_id' => $key_id ), array( '%d' ) );
		}
	}

	/**
	 * Ends the request back on the settings page with an error notice.
	 */
	private function fail( string $message ): never {
		$this->notices->add( Notice_Key::CONNECT, 'error', $message, false, true );
		$this->back_to_page();
	}

	private function back_to_page(): never {
		wp_safe_redirect( Admin_Page::url() );
		exit;
	}
}
