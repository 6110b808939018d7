<?php
/**
 * A real WordPress for the tests: Debian's `wordpress` package copied to a scratch directory, a
 * wp-config.php of our own (never /etc/wordpress), a fresh MariaDB database per run, installed
 * with wp_install() in a child PHP process. The plugin and the WooCommerce stand-in
 * (../woocommerce/woocommerce.php) are linked into its wp-content/plugins/ and active.
 *
 * Used by the PHPUnit bootstrap and, from the command line, by the Chromium tests
 * (`php tests/wordpress/site.php up|down`).
 *
 * @package Expedio
 */

/**
 * Creates and removes one scratch WordPress site.
 */
final class Expedio_Test_Site {

	/** The plugin's directory (woo-plugin/). */
	public string $plugin_dir;
	/** The scratch copy of WordPress. */
	public string $wp_dir;
	public string $db_host;
	public string $db_name;
	public string $db_user;
	public string $db_password;
	/** Private mariadbd started because no MariaDB answered (CI without a running server). */
	private ?int $mariadb_pid = null;
	private ?string $mariadb_dir = null;
	/** @var resource|null proc_open() handle of that mariadbd. */
	private $mariadb_proc = null;

	/**
	 * @param bool $link_plugin Whether the plugin from this checkout is linked in and active
	 *                          (false: a site where the plugin is installed from its zip).
	 */
	public function __construct( public string $home_url = 'http://shop.test', ?string $wp_dir = null, public bool $link_plugin = true ) {
		$this->plugin_dir  = dirname( __DIR__, 2 );
		$run               = getmypid() . '_' . bin2hex( random_bytes( 3 ) );
		$this->wp_dir      = $wp_dir ?? sys_get_temp_dir() . '/expedio-wp-' . $run;
		$this->db_host     = getenv( 'EXPEDIO_WP_DB_HOST' ) ?: '127.0.0.1:3306';
		$this->db_user     = getenv( 'EXPEDIO_WP_DB_USER' ) ?: 'root';
		$this->db_password = getenv( 'EXPEDIO_WP_DB_PASSWORD' ) ?: '';
		$this->db_name     = 'expedio_wp_' . $run;
	}

	/**
	 * Copies WordPress, creates the database, writes wp-config.php and installs the site.
	 */
	public function create(): void {
		$source = getenv( 'EXPEDIO_WP_SOURCE' ) ?: '/usr/share/wordpress';
		if ( ! is_file( $source . '/wp-settings.php' ) ) {
			throw new RuntimeException( "No WordPress at {$source}: install Debian's package (apt-get install -y wordpress php-mysql mariadb-server) or run `npm test`, which installs it." );
		}
		if ( ! extension_loaded( 'mysqli' ) ) {
			throw new RuntimeException( 'PHP has no mysqli: apt-get install -y php-mysql' );
		}
		$this->connect_or_start_mariadb();
		// A hard-linked copy of a pristine copy kept between runs: copying 56 MB every run took
		// seconds; __DIR__ and ABSPATH still point into this run's directory.
		$this->run( array( 'cp', '-al', $this->pristine_copy( $source ), $this->wp_dir ) );
		// Debian's wp-config.php reads /etc/wordpress; ours says everything itself. Unlinked
		// first: writing through the hard link would change the pristine copy.
		unlink( $this->wp_dir . '/wp-config.php' );
		file_put_contents( $this->wp_dir . '/wp-config.php', $this->config() );
		$plugins = $this->wp_dir . '/wp-content/plugins';
		if ( $this->link_plugin ) {
			symlink( $this->plugin_dir, $plugins . '/expedio' );
		}
		symlink( __DIR__ . '/../woocommerce', $plugins . '/woocommerce' );
		$this->run( array( PHP_BINARY, __DIR__ . '/install.php', $this->wp_dir, $this->home_url, $this->link_plugin ? 'link' : 'no-plugin' ) );
	}

	/**
	 * Drops the database, removes the copy and stops the private MariaDB, if any.
	 */
	public function destroy(): void {
		try {
			$db = $this->mysqli();
			$db->query( 'DROP DATABASE IF EXISTS `' . $this->db_name . '`' );
			$db->close();
		} catch ( Throwable $e ) {
			fwrite( STDERR, 'expedio test site: could not drop ' . $this->db_name . ': ' . $e->getMessage() . "\n" );
		}
		if ( is_dir( $this->wp_dir ) ) {
			$this->run( array( 'rm', '-rf', $this->wp_dir ) );
		}
		if ( null !== $this->mariadb_pid ) {
			posix_kill( $this->mariadb_pid, SIGTERM );
			// Its data directory goes only after it has shut down.
			for ( $i = 0; $i < 300 && is_resource( $this->mariadb_proc ) && proc_get_status( $this->mariadb_proc )['running']; $i++ ) {
				usleep( 100000 );
			}
			$this->mariadb_pid = null;
			$this->run( array( 'rm', '-rf', (string) $this->mariadb_dir ) );
		}
	}

	/**
	 * What a child process (the install script, `php -S`) needs to find this site again.
	 *
	 * @return array<string, string>
	 */
	public function describe(): array {
		return array(
			'wpDir'      => $this->wp_dir,
			'homeUrl'    => $this->home_url,
			'dbHost'     => $this->db_host,
			'dbName'     => $this->db_name,
			'mariadbPid' => (string) ( $this->mariadb_pid ?? '' ),
			'mariadbDir' => (string) ( $this->mariadb_dir ?? '' ),
		);
	}

	/**
	 * The `site.php down` side: rebuilds the object from describe().
	 *
	 * @param array<string, string> $described What describe() returned.
	 */
	public static function from( array $described ): self {
		$site           = new self( $described['homeUrl'], $described['wpDir'] );
		$site->db_host  = $described['dbHost'];
		$site->db_name  = $described['dbName'];
		if ( '' !== $described['mariadbPid'] ) {
			$site->mariadb_pid = (int) $described['mariadbPid'];
			$site->mariadb_dir = $described['mariadbDir'];
		}
		return $site;
	}

	/**
	 * sys_get_temp_dir()/expedio-wordpress-<version>: WordPress copied once with its symlinks
	 * resolved (Debian links .htaccess and wp-config into /etc/wordpress).
	 */
	private function pristine_copy( string $source ): string {
		$version = md5( (string) file_get_contents( $source . '/wp-includes/version.php' ) . $source );
		$copy    = sys_get_temp_dir() . '/expedio-wordpress-' . substr( $version, 0, 12 );
		if ( ! is_file( $copy . '/wp-settings.php' ) ) {
			$partial = $copy . '.partial-' . getmypid();
			$this->run( array( 'cp', '-rL', $source, $partial ) );
			if ( ! @rename( $partial, $copy ) ) {
				$this->run( array( 'rm', '-rf', $partial ) );
			}
		}
		return $copy;
	}

	private function config(): string {
		$constants = array(
			'DB_NAME'                    => $this->db_name,
			'DB_USER'                    => $this->db_user,
			'DB_PASSWORD'                => $this->db_password,
			'DB_HOST'                    => $this->db_host,
			'DB_CHARSET'                 => 'utf8mb4',
			'DB_COLLATE'                 => '',
			'WP_HOME'                    => $this->home_url,
			'WP_SITEURL'                 => $this->home_url,
			// No test needs the internet: WordPress refuses every host but this site and localhost.
			'WP_HTTP_BLOCK_EXTERNAL'     => true,
			'DISABLE_WP_CRON'            => true,
			'AUTOMATIC_UPDATER_DISABLED' => true,
			'WP_AUTO_UPDATE_CORE'        => false,
			'WP_DEBUG'                   => true,
			'WP_DEBUG_DISPLAY'           => false,
			'WP_DEBUG_LOG'               => $this->wp_dir . '/debug.log',
			'FS_METHOD'                  => 'direct',
		);
		foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $salt ) {
			$constants[ $salt ] = bin2hex( random_bytes( 32 ) );
		}
		$php = "<?php\n// Written by woo-plugin/tests/wordpress/class-test-site.php for one test run.\n";
		foreach ( $constants as $name => $value ) {
			$php .= "define( '{$name}', " . var_export( $value, true ) . " );\n";
		}
		$php .= "\$table_prefix = 'wp_';\n";
		$php .= "if ( ! defined( 'ABSPATH' ) ) {\n\tdefine( 'ABSPATH', __DIR__ . '/' );\n}\n";
		$php .= "require_once ABSPATH . 'wp-settings.php';\n";
		return $php;
	}

	private function mysqli(): mysqli {
		[ $host, $port ] = array_pad( explode( ':', $this->db_host, 2 ), 2, '3306' );
		mysqli_report( MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT );
		return new mysqli( $host, $this->db_user, $this->db_password, '', (int) $port );
	}

	/**
	 * Uses the machine's MariaDB when it answers; otherwise starts a private one on a free port
	 * (mariadb-install-db + mariadbd in a scratch directory), so a fresh CI machine needs only the
	 * packages `npm test` installs.
	 */
	private function connect_or_start_mariadb(): void {
		try {
			$db = $this->mysqli();
		} catch ( mysqli_sql_exception $e ) {
			$this->start_mariadb();
			$db = $this->mysqli();
		}
		$db->query( 'CREATE DATABASE `' . $this->db_name . '` CHARACTER SET utf8mb4' );
		$db->close();
	}

	private function start_mariadb(): void {
		$dir = sys_get_temp_dir() . '/expedio-mariadb-' . getmypid();
		$this->run( array( 'mkdir', '-p', $dir . '/data' ) );
		$user = function_exists( 'posix_getpwuid' ) ? ( posix_getpwuid( posix_geteuid() )['name'] ?? 'root' ) : 'root';
		$this->run( array( 'mariadb-install-db', '--no-defaults', '--user=' . $user, '--datadir=' . $dir . '/data', '--auth-root-authentication-method=normal', '--skip-test-db' ) );
		$sock = stream_socket_server( 'tcp://127.0.0.1:0' );
		$port = (int) substr( (string) stream_socket_get_name( $sock, false ), strlen( '127.0.0.1:' ) );
		fclose( $sock );
		$cmd  = array( 'mariadbd', '--no-defaults', '--user=' . $user, '--datadir=' . $dir . '/data', '--socket=' . $dir . '/sock', '--port=' . $port, '--bind-address=127.0.0.1', '--skip-log-bin', '--pid-file=' . $dir . '/pid' );
		$proc = proc_open( $cmd, array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'file', $dir . '/log', 'a' ), 2 => array( 'file', $dir . '/log', 'a' ) ), $pipes );
		if ( ! is_resource( $proc ) ) {
			throw new RuntimeException( 'could not start mariadbd' );
		}
		$this->mariadb_proc = $proc;
		$this->mariadb_pid  = (int) proc_get_status( $proc )['pid'];
		$this->mariadb_dir = $dir;
		$this->db_host     = '127.0.0.1:' . $port;
		$this->db_user     = 'root';
		$this->db_password = '';
		// Wait until it accepts connections (it logs "ready for connections").
		for ( $i = 0; $i < 300; $i++ ) {
			if ( str_contains( (string) @file_get_contents( $dir . '/log' ), 'ready for connections' ) ) {
				return;
			}
			usleep( 100000 );
		}
		throw new RuntimeException( 'mariadbd did not start: ' . (string) @file_get_contents( $dir . '/log' ) );
	}

	/**
	 * Runs a PHP script against this site in a child process (its own WordPress, its own
	 * database connection); returns what it printed.
	 *
	 * @param string[] $args Arguments after the WordPress directory.
	 */
	public function php( string $script, array $args = array() ): string {
		$proc = proc_open( array_merge( array( PHP_BINARY, $script, $this->wp_dir, $this->home_url ), $args ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$out  = (string) stream_get_contents( $pipes[1] );
		$err  = (string) stream_get_contents( $pipes[2] );
		if ( 0 !== proc_close( $proc ) ) {
			throw new RuntimeException( basename( $script ) . " failed:\n" . $out . $err );
		}
		return $out;
	}

	/**
	 * @param string[] $cmd Program and arguments.
	 */
	private function run( array $cmd ): void {
		$proc = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$out  = stream_get_contents( $pipes[1] ) . stream_get_contents( $pipes[2] );
		if ( 0 !== proc_close( $proc ) ) {
			throw new RuntimeException( implode( ' ', $cmd ) . " failed:\n" . $out );
		}
	}
}
