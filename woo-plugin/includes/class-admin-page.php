<?php
/**
 * WooCommerce → Expedio: the settings form, the "Connect webhooks" button and the React order
 * list (build/admin.js).
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the submenu page, enqueues the admin bundle and handles the two form posts.
 */
final class Admin_Page {

	public const SLUG           = 'expedio';
	public const SCRIPT_HANDLE  = 'expedio-admin';
	public const ACTION_SAVE    = 'expedio_save_settings';
	public const ACTION_CONNECT = 'expedio_connect';

	/** Hook suffix WordPress gave our page; used to enqueue the bundle on this page only. */
	private string $hook_suffix = '';

	public function __construct(
		private string $plugin_file,
		private Settings $settings,
		private Webhooks $webhooks,
		private Notices $notices
	) {
	}

	public static function url(): string {
		return admin_url( 'admin.php?page=' . self::SLUG );
	}

	public function register_menu(): void {
		$suffix            = add_submenu_page(
			'woocommerce',
			__( 'Expedio', 'expedio' ),
			__( 'Expedio', 'expedio' ),
			Access::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);
		$this->hook_suffix = is_string( $suffix ) ? $suffix : '';
	}

	/**
	 * Loads build/admin.js with the dependencies and version wp-scripts wrote into
	 * build/admin.asset.php, so WordPress supplies React and the components (not bundled) and
	 * browsers drop their cached copy whenever the bundle changes.
	 *
	 * @param string $hook_suffix The admin page being loaded.
	 */
	public function enqueue( $hook_suffix ): void {
		if ( '' === $this->hook_suffix || $hook_suffix !== $this->hook_suffix ) {
			return;
		}
		$asset_file = $this->asset_file();
		if ( ! file_exists( $asset_file ) ) {
			return;
		}
		$asset = require $asset_file;

		wp_enqueue_script(
			self::SCRIPT_HANDLE,
			plugins_url( 'build/admin.js', $this->plugin_file ),
			isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? $asset['dependencies'] : array(),
			isset( $asset['version'] ) ? (string) $asset['version'] : EXPEDIO_VERSION,
			true
		);
		wp_enqueue_style( 'wp-components' );
		wp_register_style( 'expedio-admin', false, array( 'wp-components' ), EXPEDIO_VERSION );
		wp_enqueue_style( 'expedio-admin' );
		wp_add_inline_style(
			'expedio-admin',
			'.expedio-app{margin-bottom:32px}.expedio-toolbar{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end;margin:12px 0}'
			. '.expedio-app .components-button+.components-button{margin-left:8px}.expedio-app .components-notice{margin:12px 0}'
			. '.expedio-app .components-base-control{margin-bottom:12px}.expedio-start-return table{margin-bottom:12px}'
			. '.expedio-chart{margin:16px 0;background:#fff;padding:12px;border:1px solid #c3c4c7}.expedio-chart figcaption{margin-top:8px;color:#50575e}'
			. '.expedio-stall-list{margin:0}.expedio-stall-item .components-notice__content p{margin:8px 0 0}.expedio-settings{max-width:560px}'
			. '.expedio-order-card{max-width:900px}.expedio-order-card .expedio-actions{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}'
		);
		wp_add_inline_script(
			self::SCRIPT_HANDLE,
			'window.expedioAdmin = ' . wp_json_encode(
				array(
					'restRoot'   => esc_url_raw( rest_url() ),
					'nonce'      => wp_create_nonce( 'wp_rest' ),
					'configured' => $this->settings->is_configured(),
					'locale'     => get_user_locale(),
				)
			) . ';',
			'before'
		);
	}

	public function render(): void {
		Access::require_manager();
		$post_url = admin_url( 'admin-post.php' );
		$masked   = $this->settings->masked_api_key();
		?>
		<div class="wrap">
			<h1><?php echo esc_html__( 'Expedio', 'expedio' ); ?></h1>

			<?php if ( ! file_exists( $this->asset_file() ) ) : ?>
				<div class="notice notice-error"><p><?php echo esc_html__( 'The admin page script is missing: build it with "pnpm --filter @expedio/woo-plugin build".', 'expedio' ); ?></p></div>
			<?php endif; ?>

			<div id="expedio-admin-root"></div>

			<h2><?php echo esc_html__( 'Connect to Expedio', 'expedio' ); ?></h2>
			<?php if ( $this->settings->is_configured() ) : ?>
				<p class="expedio-connected"><?php echo esc_html( sprintf( /* translators: 1: core URL, 2: channel id, 3: masked API key */ __( 'Connected to %1$s as channel %2$s (key %3$s).', 'expedio' ), $this->settings->core_url(), $this->settings->channel_id(), $masked ) ); ?></p>
			<?php endif; ?>
			<form method="post" action="<?php echo esc_url( $post_url ); ?>">
				<input type="hidden" name="action" value="<?php echo esc_attr( Connect::ACTION_START ); ?>" />
				<?php wp_nonce_field( Connect::ACTION_START ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="expedio-connect-core-url"><?php echo esc_html__( 'Expedio address', 'expedio' ); ?></label></th>
						<td><input type="url" class="regular-text" id="expedio-connect-core-url" name="core_url" value="<?php echo esc_attr( $this->settings->core_url() ); ?>" placeholder="http://127.0.0.1:3000" required /></td>
					</tr>
					<tr>
						<th scope="row"><?php echo esc_html__( 'Access', 'expedio' ); ?></th>
						<td>
							<label><input type="checkbox" name="consent" value="1" required /> <?php echo esc_html__( 'Create a WooCommerce REST API key (read/write) for Expedio and send it to the Expedio core.', 'expedio' ); ?></label>
							<p class="description"><?php echo esc_html__( 'Expedio uses it to read orders and products and to write statuses, order notes and tracking numbers back. You will log in to Expedio to allow this store. The key can be revoked any time in WooCommerce → Settings → Advanced → REST API.', 'expedio' ); ?></p>
						</td>
					</tr>
				</table>
				<?php submit_button( $this->settings->is_configured() ? __( 'Reconnect to Expedio', 'expedio' ) : __( 'Connect to Expedio', 'expedio' ) ); ?>
			</form>

			<h2><?php echo esc_html__( 'Manual settings (advanced)', 'expedio' ); ?></h2>
			<form method="post" action="<?php echo esc_url( $post_url ); ?>">
				<input type="hidden" name="action" value="<?php echo esc_attr( self::ACTION_SAVE ); ?>" />
				<?php wp_nonce_field( self::ACTION_SAVE ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="expedio-core-url"><?php echo esc_html__( 'Core URL', 'expedio' ); ?></label></th>
						<td><input type="url" class="regular-text" id="expedio-core-url" name="core_url" value="<?php echo esc_attr( $this->settings->core_url() ); ?>" placeholder="http://127.0.0.1:3000" required /></td>
					</tr>
					<tr>
						<th scope="row"><label for="expedio-channel-id"><?php echo esc_html__( 'Channel id', 'expedio' ); ?></label></th>
						<td><input type="text" class="regular-text" id="expedio-channel-id" name="channel_id" value="<?php echo esc_attr( $this->settings->channel_id() ); ?>" required /></td>
					</tr>
					<tr>
						<th scope="row"><label for="expedio-api-key"><?php echo esc_html__( 'API key', 'expedio' ); ?></label></th>
						<td>
							<input type="password" class="regular-text" id="expedio-api-key" name="api_key" value="" autocomplete="new-password" placeholder="<?php echo esc_attr( $masked ); ?>" />
							<?php if ( '' !== $masked ) : ?>
								<p class="description"><?php echo esc_html( sprintf( /* translators: %s: masked API key */ __( 'Stored key: %s. Leave empty to keep it.', 'expedio' ), $masked ) ); ?></p>
							<?php endif; ?>
						</td>
					</tr>
				</table>
				<?php submit_button( __( 'Save settings', 'expedio' ) ); ?>
			</form>

			<h2><?php echo esc_html__( 'Order webhooks', 'expedio' ); ?></h2>
			<ul>
				<?php foreach ( $this->webhooks->statuses() as $topic => $status ) : ?>
					<li><code><?php echo esc_html( $topic ); ?></code> — <?php echo esc_html( $status ); ?></li>
				<?php endforeach; ?>
			</ul>
			<form method="post" action="<?php echo esc_url( $post_url ); ?>">
				<input type="hidden" name="action" value="<?php echo esc_attr( self::ACTION_CONNECT ); ?>" />
				<?php wp_nonce_field( self::ACTION_CONNECT ); ?>
				<p class="description"><?php echo esc_html__( 'Creates (or repairs) the order.created and order.updated webhooks with a new secret and registers that secret with the core.', 'expedio' ); ?></p>
				<?php submit_button( __( 'Connect webhooks', 'expedio' ), 'secondary' ); ?>
			</form>
		</div>
		<?php
	}

	/**
	 * admin_post_expedio_save_settings.
	 */
	public function handle_save(): void {
		Access::verify_form_post( self::ACTION_SAVE );

		$errors = $this->settings->save( wp_unslash( $_POST ) );
		if ( array() === $errors ) {
			$this->notices->add( Notice_Key::SETTINGS, 'success', __( 'Settings saved. Press "Connect webhooks" to send orders to this core.', 'expedio' ), false, true );
		} else {
			$this->notices->add( Notice_Key::SETTINGS, 'error', implode( ' ', $errors ), false, true );
		}
		$this->back_to_page();
	}

	/**
	 * admin_post_expedio_connect.
	 */
	public function handle_connect(): void {
		Access::verify_form_post( self::ACTION_CONNECT );

		$this->webhooks->connect();
		$this->back_to_page();
	}

	/**
	 * What wp-scripts wrote beside build/admin.js: the bundle's dependencies and version. Its
	 * absence means the bundle was never built.
	 */
	private function asset_file(): string {
		return plugin_dir_path( $this->plugin_file ) . 'build/admin.asset.php';
	}

	/**
	 * Post/redirect/get, so reloading the page does not resubmit the form.
	 */
	private function back_to_page(): void {
		wp_safe_redirect( self::url() );
		exit;
	}
}
