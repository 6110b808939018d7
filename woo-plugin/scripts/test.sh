#!/bin/sh
# Runs the plugin's PHPUnit suite (Debian's phpunit 9.6 + php-cli 8.2; no Composer) in a real
# WordPress: Debian's `wordpress` package copied to a scratch directory with a fresh MariaDB database
# (tests/wordpress/), WooCommerce stood in for by tests/woocommerce/woocommerce.php. Exits non-zero
# when a test fails.
set -eu
cd "$(dirname "$0")/.."
if ! command -v phpunit >/dev/null 2>&1; then
	echo "woo-plugin: phpunit not found; install it with: apt-get install -y php-cli phpunit php-mysql wordpress mariadb-server" >&2
	exit 127
fi
for file in expedio.php uninstall.php includes/*.php; do
	php -l "$file" >/dev/null
done
exec phpunit "$@"
