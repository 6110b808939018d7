/**
 * Moves an Expedio bulk job on, one order per request, and shows its progress in the notice the
 * PHP printed (Bulk_Jobs::render_notice). Plain script: no build step, WordPress 6.1's wp-i18n.
 */
( () => {
	const box = document.getElementById( 'expedio-job' );
	if ( ! box ) {
		return;
	}
	const { __, sprintf } = window.wp.i18n;
	const bar = box.querySelector( 'progress' );
	const count = box.querySelector( '.expedio-progress-count' );
	const log = box.querySelector( '.expedio-progress-log' );
	const pdf = box.querySelector( '.expedio-progress-pdf' );
	let shown = 0;

	function item( text, failed ) {
		const li = document.createElement( 'li' );
		li.textContent = text;
		if ( failed ) {
			li.className = 'expedio-failed';
			li.style.color = '#b32d2e';
		}
		log.appendChild( li );
	}

	function show( job ) {
		bar.max = Math.max( 1, job.total );
		bar.value = job.done;
		count.textContent = sprintf( /* translators: 1: done, 2: total */ __( '%1$d / %2$d', 'expedio' ), job.done, job.total );
		const lines = job.ok.map( ( r ) => [ r.message, false ] ).concat( job.failed.map( ( r ) => [ r.message, true ] ) );
		for ( ; shown < lines.length; shown++ ) {
			item( lines[ shown ][ 0 ], lines[ shown ][ 1 ] );
		}
		if ( job.status === 'printing' ) {
			count.textContent += ' — ' + __( 'the core is merging the labels…', 'expedio' );
		}
		if ( job.status === 'done' ) {
			box.classList.remove( 'notice-info' );
			box.classList.add( job.failed.length ? 'notice-warning' : 'notice-success' );
			count.textContent += ' — ' + ( job.failed.length ? sprintf( /* translators: %d: failures */ __( 'done, %d failed', 'expedio' ), job.failed.length ) : __( 'done', 'expedio' ) );
			// The orders list's Expedio column of these orders, as the core has them now.
			for ( const [ id, s ] of Object.entries( job.statuses || {} ) ) {
				const cell = document.querySelector( '#order-' + id + ' .column-expedio_status, #post-' + id + ' .column-expedio_status' );
				if ( cell ) {
					const mark = document.createElement( 'mark' );
					mark.className = 'order-status expedio-status expedio-status-' + s.status;
					const span = document.createElement( 'span' );
					span.textContent = s.label;
					mark.appendChild( span );
					cell.replaceChildren( mark );
				}
			}
			if ( job.pdfUrl ) {
				const a = document.createElement( 'a' );
				a.href = job.pdfUrl;
				a.target = '_blank';
				a.className = 'button button-primary expedio-labels-pdf';
				a.textContent = __( 'Open the labels (PDF)', 'expedio' );
				pdf.appendChild( a );
			}
		}
	}

	async function next() {
		const response = await fetch( box.dataset.rest + '/next', {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'X-WP-Nonce': box.dataset.nonce, Accept: 'application/json' },
		} );
		const job = await response.json();
		if ( ! response.ok ) {
			item( job.message || __( 'The job could not go on.', 'expedio' ), true );
			return;
		}
		show( job );
		if ( job.status !== 'done' ) {
			// The label batch is merged by the core: ask again in a moment rather than at once.
			setTimeout( next, job.status === 'printing' ? 700 : 0 );
		}
	}

	next().catch( ( e ) => item( String( e ), true ) );
} )();
