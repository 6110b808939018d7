<?php
/**
 * Bulk actions on WooCommerce's orders list (HPOS and legacy): confirm, create AWBs, print labels
 * as one PDF, issue invoices. Choosing one starts a job and returns to the list, where a notice
 * shows its progress while a small script asks POST /wp-json/expedio/v1/jobs/{id}/next for one
 * order at a time (each call a few core calls, far inside PHP's time limit however many orders
 * were ticked). Printing labels ends in the core's own label batch (POST /label-batches), whose
 * progress the job follows until its PDF is there.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * The jobs, their REST route and the progress notice.
 */
final class Bulk_Jobs {

	/** Bulk action => what it runs for each order (labels: collected, then one batch). */
	public const ACTIONS = array(
		'expedio_confirm' => 'confirm',
		'expedio_awb'     => 'awb',
		'expedio_labels'  => 'labels',
		'expedio_invoice' => 'invoice',
	);

	private const OPTION_PREFIX = 'expedio_job_';
	private const MAX_ORDERS    = 200;

	public function __construct(
		private string $plugin_file,
		private Order_Card $card,
		private Core_Client $core,
		private ?Order_Screen $screen = null
	) {
	}

	/**
	 * bulk_actions-woocommerce_page_wc-orders and bulk_actions-edit-shop_order.
	 *
	 * @param array<string, string> $actions The list's bulk actions.
	 * @return array<string, string>
	 */
	public function add_actions( $actions ): array {
		$actions = is_array( $actions ) ? $actions : array();
		if ( ! Access::allowed() ) {
			return $actions;
		}
		$actions['expedio_confirm'] = __( 'Expedio: confirm', 'expedio' );
		$actions['expedio_awb']     = __( 'Expedio: create AWBs', 'expedio' );
		$actions['expedio_labels']  = __( 'Expedio: print labels (one PDF)', 'expedio' );
		$actions['expedio_invoice'] = __( 'Expedio: issue invoices', 'expedio' );
		return $actions;
	}

	/**
	 * handle_bulk_actions-{screen}: WooCommerce (HPOS) and WordPress (legacy) checked the list's
	 * nonce before calling; the capability is checked here.
	 *
	 * @param string     $redirect_to Where the list returns.
	 * @param string     $action      The bulk action.
	 * @param array<int> $ids         The ticked orders.
	 */
	public function handle( $redirect_to, $action, $ids ): string {
		if ( ! isset( self::ACTIONS[ $action ] ) ) {
			return (string) $redirect_to;
		}
		Access::require_manager();
		$ids = array_slice( array_values( array_unique( array_filter( array_map( 'absint', (array) $ids ) ) ) ), 0, self::MAX_ORDERS );
		$job = $this->start( self::ACTIONS[ $action ], $ids );
		return add_query_arg( 'expedio_job', $job['id'], remove_query_arg( array( 'expedio_job' ), (string) $redirect_to ) );
	}

	/**
	 * @param int[] $ids WooCommerce order ids.
	 * @return array<string, mixed> The job.
	 */
	public function start( string $action, array $ids ): array {
		$job = array(
			'id'          => strtolower( wp_generate_password( 12, false ) ),
			'action'      => $action,
			'user'        => get_current_user_id(),
			'ids'         => $ids,
			'next'        => 0,
			'done'        => array(),
			'failed'      => array(),
			'shipmentIds' => array(),
			'batchId'     => null,
			'pdfUrl'      => null,
			'status'      => array() === $ids ? 'done' : 'running',
		);
		$this->save( $job );
		return $job;
	}

	/**
	 * The job of this user, or null (someone else's job is as good as missing).
	 *
	 * @return array<string, mixed>|null
	 */
	public function get( string $id ): ?array {
		if ( ! preg_match( '/^[a-z0-9]{12}$/', $id ) ) {
			return null;
		}
		$job = get_option( self::OPTION_PREFIX . $id );
		return is_array( $job ) && (int) $job['user'] === get_current_user_id() ? $job : null;
	}

	/**
	 * @param array<string, mixed> $job The job.
	 */
	private function save( array $job ): void {
		update_option( self::OPTION_PREFIX . $job['id'], $job, false );
	}

	/**
	 * One step: the next order, or (labels) the batch, or a look at the batch's progress.
	 *
	 * @param array<string, mixed> $job The job.
	 * @return array<string, mixed> The job after the step.
	 */
	public function step( array $job ): array {
		if ( 'done' === $job['status'] ) {
			return $job;
		}
		if ( 'printing' === $job['status'] ) {
			return $this->follow_batch( $job );
		}
		$wc_id = (int) $job['ids'][ $job['next'] ];
		if ( 'labels' === $job['action'] ) {
			$this->collect_shipments( $job, $wc_id );
		} else {
			$result = $this->card->run( (string) $job['action'], $wc_id );
			if ( is_wp_error( $result ) ) {
				$job['failed'][] = array( 'order' => $wc_id, 'message' => $result->get_error_message() );
			} else {
				$job['done'][] = array( 'order' => $wc_id, 'message' => (string) $result['message'] );
			}
		}
		++$job['next'];
		if ( $job['next'] >= count( $job['ids'] ) ) {
			$job['status'] = 'labels' === $job['action'] && array() !== $job['shipmentIds'] ? 'batching' : 'done';
		}
		if ( 'batching' === $job['status'] ) {
			$job = $this->start_batch( $job );
		}
		delete_transient( Order_Screen::statuses_transient() );
		$this->save( $job );
		return $job;
	}

	/**
	 * @param array<string, mixed> $job The job (changed in place).
	 */
	private function collect_shipments( array &$job, int $wc_id ): void {
		$order = $this->card->find( $wc_id );
		if ( ! is_array( $order ) ) {
			/* translators: %d: order number */
			$job['failed'][] = array( 'order' => $wc_id, 'message' => is_wp_error( $order ) ? $order->get_error_message() : sprintf( __( 'Order #%d is not in Expedio yet.', 'expedio' ), $wc_id ) );
			return;
		}
		$shipments = $this->core->call( 'GET', '/api/v1/shipments', array( 'orderId' => (string) $order['id'], 'limit' => 10 ) );
		$live      = array();
		foreach ( is_array( $shipments ) && is_array( $shipments['shipments'] ?? null ) ? $shipments['shipments'] : array() as $shipment ) {
			if ( ! empty( $shipment['awb'] ) && 'cancelled' !== ( $shipment['status'] ?? '' ) ) {
				$live[] = (string) $shipment['id'];
			}
		}
		if ( array() === $live ) {
			/* translators: %d: order number */
			$job['failed'][] = array( 'order' => $wc_id, 'message' => sprintf( __( 'Order #%d has no AWB yet.', 'expedio' ), $wc_id ) );
			return;
		}
		$job['shipmentIds'] = array_values( array_unique( array_merge( $job['shipmentIds'], $live ) ) );
		/* translators: 1: order number, 2: number of labels */
		$job['done'][] = array( 'order' => $wc_id, 'message' => sprintf( _n( 'Order #%1$d: %2$d label.', 'Order #%1$d: %2$d labels.', count( $live ), 'expedio' ), $wc_id, count( $live ) ) );
	}

	/**
	 * @param array<string, mixed> $job The job.
	 * @return array<string, mixed>
	 */
	private function start_batch( array $job ): array {
		$batch = $this->core->call( 'POST', '/api/v1/label-batches', array(), array( 'shipmentIds' => $job['shipmentIds'], 'format' => 'A6' ) );
		if ( is_wp_error( $batch ) || ! isset( $batch['id'] ) ) {
			$job['failed'][] = array( 'order' => 0, 'message' => is_wp_error( $batch ) ? $batch->get_error_message() : __( 'The core started no label batch.', 'expedio' ) );
			$job['status']   = 'done';
			return $job;
		}
		$job['batchId'] = (string) $batch['id'];
		$job['status']  = 'printing';
		return $job;
	}

	/**
	 * @param array<string, mixed> $job The job.
	 * @return array<string, mixed>
	 */
	private function follow_batch( array $job ): array {
		$batch = $this->core->call( 'GET', '/api/v1/label-batches/' . rawurlencode( (string) $job['batchId'] ) );
		if ( is_wp_error( $batch ) ) {
			$job['failed'][] = array( 'order' => 0, 'message' => $batch->get_error_message() );
			$job['status']   = 'done';
		} elseif ( 'done' === ( $batch['status'] ?? '' ) ) {
			$job['pdfUrl'] = Order_Screen::pdf_url( 'batch', (string) $job['batchId'] );
			$job['status'] = 'done';
		} elseif ( 'failed' === ( $batch['status'] ?? '' ) ) {
			$job['failed'][] = array( 'order' => 0, 'message' => (string) ( $batch['error'] ?? __( 'The label batch failed.', 'expedio' ) ) );
			$job['status']   = 'done';
		}
		$this->save( $job );
		return $job;
	}

	/**
	 * What the notice and its script show.
	 *
	 * @param array<string, mixed> $job The job.
	 * @return array<string, mixed>
	 */
	public static function progress( array $job ): array {
		return array(
			'id'     => $job['id'],
			'action' => $job['action'],
			'status' => $job['status'],
			'total'  => count( $job['ids'] ),
			'done'   => (int) $job['next'],
			'ok'     => $job['done'],
			'failed' => $job['failed'],
			'pdfUrl' => $job['pdfUrl'],
		);
	}

	public function register_routes(): void {
		$args = array(
			'id' => array(
				'type'    => 'string',
				'pattern' => '^[a-z0-9]{12}$',
			),
		);
		register_rest_route(
			'expedio/v1',
			'/jobs/(?P<id>[a-z0-9]{12})',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'rest_get' ),
				'permission_callback' => array( Access::class, 'allowed' ),
				'args'                => $args,
			)
		);
		register_rest_route(
			'expedio/v1',
			'/jobs/(?P<id>[a-z0-9]{12})/next',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'rest_next' ),
				'permission_callback' => array( Access::class, 'allowed' ),
				'args'                => $args,
			)
		);
	}

	/**
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function rest_get( $request ) {
		$job = $this->get( (string) $request['id'] );
		return null === $job ? $this->missing() : new \WP_REST_Response( self::progress( $job ), 200 );
	}

	/**
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function rest_next( $request ) {
		$job = $this->get( (string) $request['id'] );
		if ( null === $job ) {
			return $this->missing();
		}
		$job      = $this->step( $job );
		$progress = self::progress( $job );
		if ( 'done' === $job['status'] && null !== $this->screen ) {
			$progress['statuses'] = $this->list_statuses( $job['ids'] );
		}
		return new \WP_REST_Response( $progress, 200 );
	}

	/**
	 * The Expedio column of the job's orders as it reads now (the list page redraws those cells
	 * when the job is done, without a reload): WooCommerce order id => status and its words.
	 *
	 * @param array<int, int|string> $ids The job's WooCommerce order ids.
	 * @return array<string, array{status: string, label: string}>
	 */
	private function list_statuses( array $ids ): array {
		delete_transient( Order_Screen::statuses_transient() );
		$all = $this->screen ? $this->screen->statuses() : array();
		$out = array();
		foreach ( $ids as $id ) {
			if ( isset( $all[ (int) $id ] ) ) {
				$out[ (string) (int) $id ] = array(
					'status' => $all[ (int) $id ],
					'label'  => Order_Screen::status_label( $all[ (int) $id ] ),
				);
			}
		}
		return $out;
	}

	private function missing(): \WP_Error {
		return new \WP_Error( 'expedio_job_not_found', __( 'No such Expedio job.', 'expedio' ), array( 'status' => 404 ) );
	}

	/**
	 * admin_notices on the orders list: the job named in ?expedio_job= with its progress bar; the
	 * script (assets/bulk-progress.js) moves it on.
	 */
	public function render_notice(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only reads which of this user's jobs to show.
		$id  = isset( $_GET['expedio_job'] ) ? sanitize_key( wp_unslash( $_GET['expedio_job'] ) ) : '';
		$job = '' !== $id && Access::allowed() ? $this->get( $id ) : null;
		if ( null === $job ) {
			return;
		}
		$p      = self::progress( $job );
		$titles = array(
			'confirm' => __( 'Confirming orders in Expedio', 'expedio' ),
			'awb'     => __( 'Creating AWBs', 'expedio' ),
			'labels'  => __( 'Printing labels', 'expedio' ),
			'invoice' => __( 'Issuing invoices', 'expedio' ),
		);
		echo '<div class="notice notice-info expedio-progress" id="expedio-job" data-job="' . esc_attr( $job['id'] ) . '" data-rest="' . esc_url( rest_url( 'expedio/v1/jobs/' . $job['id'] ) ) . '" data-nonce="' . esc_attr( wp_create_nonce( 'wp_rest' ) ) . '">';
		echo '<p><strong>Expedio:</strong> ' . esc_html( $titles[ $job['action'] ] ?? '' ) . ' — <span class="expedio-progress-count">' . esc_html( $p['done'] . ' / ' . $p['total'] ) . '</span></p>';
		echo '<p><progress max="' . esc_attr( (string) max( 1, $p['total'] ) ) . '" value="' . esc_attr( (string) $p['done'] ) . '"></progress></p>';
		echo '<ul class="expedio-progress-log"></ul><p class="expedio-progress-pdf"></p></div>';
		wp_enqueue_script( 'expedio-bulk-progress', plugins_url( 'assets/bulk-progress.js', $this->plugin_file ), array( 'wp-i18n' ), EXPEDIO_VERSION, true );
		wp_set_script_translations( 'expedio-bulk-progress', 'expedio', plugin_dir_path( $this->plugin_file ) . 'languages' );
	}
}
