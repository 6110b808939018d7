/** What the PHP prints before each bundle (README-mounts.md); never the core's URL or key. */
export interface ExpedioAdminConfig {
	restRoot: string;
	nonce: string;
	configured: boolean;
	/** admin.php?page=expedio: where the meta box links to. */
	appUrl?: string;
	/** get_user_locale(): `ro_RO` shows the Romanian texts. */
	locale?: string;
}

declare global {
	interface Window {
		expedioAdmin?: ExpedioAdminConfig;
	}
}

export function adminConfig(): ExpedioAdminConfig | undefined {
	return window.expedioAdmin;
}
