//! [`FapiaoSetupStore`](crate::store::fapiao_setup::FapiaoSetupStore) in
//! PostgreSQL; each part of the setup lives in its own submodule.

mod invites;
mod merchants;
mod orders;
mod tax_codes;
mod templates;

use super::PostgresStore;
use crate::domain::fapiao::setup::{
    DevConfig, FapiaoCardTemplate, FapiaoInvite, FapiaoMerchantSetup, PayOrder, SellerInfo, TaxCode,
};
use crate::store::fapiao_setup::{
    FapiaoMerchantUpdate, FapiaoSetupStore, InviteAnswer, InviteQuery, NewInvite,
};
use crate::store::StoreResult;
use async_trait::async_trait;

#[async_trait]
impl FapiaoSetupStore for PostgresStore {
    async fn provider_authorized(&self, mchid: &str) -> StoreResult<bool> {
        merchants::provider_authorized(&self.pool, mchid).await
    }

    async fn fapiao_merchant(&self, mchid: &str) -> StoreResult<Option<FapiaoMerchantSetup>> {
        merchants::fapiao_merchant(&self.pool, mchid).await
    }

    async fn update_fapiao_merchant(
        &self,
        mchid: &str,
        update: &FapiaoMerchantUpdate,
        now: i64,
    ) -> StoreResult<Option<FapiaoMerchantSetup>> {
        merchants::update_fapiao_merchant(&self.pool, mchid, update, now).await
    }

    async fn seller_information(&self, owner_mchid: &str) -> StoreResult<SellerInfo> {
        merchants::seller_information(&self.pool, owner_mchid).await
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
        templates::card_template(&self.pool, owner_mchid).await
    }

    async fn put_fapiao_card_template(
        &self,
        owner_mchid: &str,
        card_appid: &str,
        template: &serde_json::Value,
        new_card_id: &str,
        now: i64,
    ) -> StoreResult<FapiaoCardTemplate> {
        templates::put_card_template(
            &self.pool,
            owner_mchid,
            card_appid,
            template,
            new_card_id,
            now,
        )
        .await
    }

    async fn tax_code(&self, owner_mchid: &str, tax_code: &str) -> StoreResult<Option<TaxCode>> {
        tax_codes::tax_code(&self.pool, owner_mchid, tax_code).await
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
        tax_codes::add_tax_codes(&self.pool, owner_mchid, codes).await
    }

    async fn create_pay_order(&self, order: &PayOrder) -> StoreResult<()> {
        orders::create_pay_order(&self.pool, order).await
    }

    async fn pay_order(&self, transaction_id: &str) -> StoreResult<Option<PayOrder>> {
        orders::pay_order(&self.pool, transaction_id).await
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
        invites::answer_invite(&self.pool, link_key, answer).await
    }

    async fn invites_page(&self, query: &InviteQuery) -> StoreResult<(i64, Vec<FapiaoInvite>)> {
        invites::invites_page(&self.pool, query).await
    }
}
