//! Download links for uploaded PDFs: minted by getpdf and the reimbursement
//! reads, valid 7200 s, served by kabao under `/_kabao/media/pdf`.

use crate::domain::invoice::{ids, PDF_URL_TTL_SECS};
use crate::state::AppState;
use crate::store::StoreResult;

/// Mints a link to `s_media_id` valid for two hours on kabao's clock.
pub async fn mint(state: &AppState, base: &str, s_media_id: &str) -> StoreResult<String> {
    let key = ids::link_key();
    let expires_at = state.clock.now() + PDF_URL_TTL_SECS;
    state
        .store
        .put_pdf_link(&key, s_media_id, expires_at)
        .await?;
    Ok(format!("{base}/_kabao/media/pdf?media_key={key}"))
}
