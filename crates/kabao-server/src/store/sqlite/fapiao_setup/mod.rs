//! [`FapiaoSetupStore`](crate::store::fapiao_setup::FapiaoSetupStore) in
//! SQLite; each part of the setup lives in its own submodule.

mod invites;
mod merchants;
mod orders;
mod tax_codes;
mod templates;

use super::SqliteStore;
use crate::domain::fapiao::setup::{
    DevConfig, FapiaoCardTemplate, FapiaoInvite, FapiaoMerchantSetup, PayOrder, SellerInfo, TaxCode,
};
use crate::store::fapiao_setup::{
    FapiaoMerchantUpdate, FapiaoSetupStore, InviteAnswer, InviteQuery, NewInvite,
};
use crate::store::StoreResult;
use async_trait::async_trait;

#[async_trait]
impl FapiaoSetupStore for SqliteStore {
    async fn provider_authorized(&self, mchid: &str) -> StoreResult<bool> {
        self.readers
            .read(|conn| merchants::provider_authorized(conn, mchid))
    }

    async fn fapiao_merchant(&self, mchid: &str) -> StoreResult<Option<FapiaoMerchantSetup>> {
        self.setup_cache.setup(mchid, || {
            let row = self
                .readers
                .read(|conn| merchants::read_setup(conn, mchid))?;
            merchants::setup_of(mchid, row)
        })
    }

    async fn update_fapiao_merchant(
        &self,
        mchid: &str,
        update: &FapiaoMerchantUpdate,
        now: i64,
    ) -> StoreResult<Option<FapiaoMerchantSetup>> {
        let updated = merchants::update_fapiao_merchant(&self.pool, mchid, update, now).await;
        self.setup_cache.forget();
        updated
    }

    async fn seller_information(&self, owner_mchid: &str) -> StoreResult<SellerInfo> {
        match self.fapiao_merchant(owner_mchid).await? {
            Some(setup) => Ok(setup.seller),
            None => Ok(SellerInfo::derived(owner_mchid, owner_mchid)),
        }
    }

    async fn dev_config(&self, mchid: &str) -> StoreResult<Option<DevConfig>> {
        templates::dev_config(&self.pool, mchid).await
    }

    async fn put_dev_config(&self, mchid: &str, config: &DevConfig, now: i64) -> StoreResult<()> {
        templates::put_dev_config(&self.pool, mchid, config, now).await
    }

    async fn fapiao_card_template(
        &self,
        owner_mchid: &str,
    ) -> StoreResult<Option<FapiaoCardTemplate>> {
        self.setup_cache.template(owner_mchid, || {
            self.readers
                .read(|conn| templates::card_template(conn, owner_mchid))
        })
    }

    async fn put_fapiao_card_template(
        &self,
        owner_mchid: &str,
        card_appid: &str,
        template: &serde_json::Value,
        new_card_id: &str,
        now: i64,
    ) -> StoreResult<FapiaoCardTemplate> {
        let put = templates::put_card_template(
            &self.pool,
            owner_mchid,
            card_appid,
            template,
            new_card_id,
            now,
        )
        .await;
        self.setup_cache.forget();
        put
    }

    async fn tax_code(&self, owner_mchid: &str, tax_code: &str) -> StoreResult<Option<TaxCode>> {
        self.setup_cache.tax_code(owner_mchid, tax_code, || {
            self.readers
                .read(|conn| tax_codes::tax_code(conn, owner_mchid, tax_code))
        })
    }

    async fn tax_codes_page(
        &self,
        owner_mchid: &str,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(i64, Vec<TaxCode>)> {
        tax_codes::tax_codes_page(&self.pool, owner_mchid, offset, limit).await
    }

    async fn owner_tax_codes(&self, owner_mchid: &str) -> StoreResult<Vec<TaxCode>> {
        tax_codes::scope_codes(&self.pool, owner_mchid).await
    }

    async fn add_tax_codes(&self, owner_mchid: &str, codes: &[TaxCode]) -> StoreResult<()> {
        let added = tax_codes::add_tax_codes(&self.pool, owner_mchid, codes).await;
        self.setup_cache.forget();
        added
    }

    async fn create_pay_order(&self, order: &PayOrder) -> StoreResult<()> {
        orders::create_pay_order(&self.pool, order).await
    }

    async fn pay_order(&self, transaction_id: &str) -> StoreResult<Option<PayOrder>> {
        self.point_read(|conn| orders::pay_order(conn, transaction_id))
    }

    async fn pay_orders(&self, mchid: &str) -> StoreResult<Vec<PayOrder>> {
        orders::pay_orders(&self.pool, mchid).await
    }

    async fn create_invite(&self, invite: &NewInvite) -> StoreResult<FapiaoInvite> {
        invites::create_invite(&self.pool, invite).await
    }

    async fn invite_by_key(&self, link_key: &str) -> StoreResult<Option<FapiaoInvite>> {
        invites::invite_by_key(&self.pool, link_key).await
    }

    async fn answer_invite(
        &self,
        link_key: &str,
        answer: &InviteAnswer,
    ) -> StoreResult<Option<FapiaoInvite>> {
        let answered = invites::answer_invite(&self.pool, link_key, answer).await;
        self.setup_cache.forget();
        answered
    }

    async fn invites_page(&self, query: &InviteQuery) -> StoreResult<(i64, Vec<FapiaoInvite>)> {
        invites::invites_page(&self.pool, query).await
    }
}
