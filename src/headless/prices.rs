//! Prices for `run`'s answers that came without a reported cost, in `choose_pricing`'s one
//! order, with each provider's catalog read from the cache or fetched once.

use std::collections::HashMap;
use std::time::Duration;

use crate::catalog::Catalog;
use crate::chat::Answer;
use crate::cost::Pricing;

use super::RunContext;

/// A provider's catalog: cached, or fetched once (5 s at most).
async fn catalog_of(ctx: &RunContext, endpoint: &crate::provider::Endpoint) -> Option<Catalog> {
    if let Some(c) = Catalog::load_cached(&ctx.cache_dir, &endpoint.base_url) {
        return Some(c);
    }
    let fetch = Catalog::fetch(&ctx.client, endpoint);
    let got = tokio::time::timeout(Duration::from_secs(5), fetch)
        .await
        .ok()
        .and_then(Result::ok);
    if let Some(c) = &got {
        let _ = c.save(&ctx.cache_dir);
    }
    got
}

/// Prices for answers without a reported cost, in `choose_pricing`'s one order: the config's
/// price table, the provider's own catalog, free for a local provider, else the reference
/// catalog's for the same model.
pub async fn prices(ctx: &RunContext, answers: &[Answer]) -> Vec<(Option<Pricing>, bool)> {
    let tables = ctx.registry.price_tables();
    let mut borrowing = ctx.registry.borrowing(&ctx.cache_dir);
    let mut catalogs: HashMap<String, Option<Catalog>> = HashMap::new();
    let mut tried_reference = false;
    let mut out = Vec::new();
    for a in answers {
        let (provider, bare) = ctx.registry.resolve(&a.model);
        let local = provider.local;
        if a.usage.as_ref().is_some_and(|u| u.cost.is_some()) {
            out.push((None, local));
            continue;
        }
        let table = tables.get(&a.model).cloned();
        if table.is_none() && !catalogs.contains_key(&provider.name) {
            let catalog = catalog_of(ctx, &provider.endpoint).await;
            catalogs.insert(provider.name.clone(), catalog);
        }
        let own = catalogs
            .get(&provider.name)
            .and_then(|c| c.as_ref())
            .and_then(|c| {
                a.served_model
                    .as_deref()
                    .and_then(|m| c.pricing_for(m))
                    .or_else(|| c.pricing_for(bare))
            });
        let priced = table.is_some() || own.is_some() || local;
        if !priced
            && borrowing.reference.is_none()
            && borrowing.route(&a.model).is_some()
            && !std::mem::replace(&mut tried_reference, true)
            && let Some(r) = ctx.registry.reference()
            && let Some(c) = catalog_of(ctx, &r.endpoint.clone()).await
        {
            borrowing.offer(&c, "");
        }
        let pricing = crate::catalog::choose_pricing(
            table,
            || own,
            local,
            || borrowing.pricing_for(&a.model),
        );
        out.push((pricing, local));
    }
    out
}

/// What the catalogs say of each model, for its attachments: whether it takes images, and
/// its context length. A model its provider's catalog does not list takes no images.
pub async fn model_facts(ctx: &RunContext, models: &[String]) -> Vec<(bool, Option<u64>)> {
    let mut catalogs: HashMap<String, Option<Catalog>> = HashMap::new();
    let mut out = Vec::new();
    for model in models {
        let (provider, bare) = ctx.registry.resolve(model);
        if !catalogs.contains_key(&provider.name) {
            let catalog = catalog_of(ctx, &provider.endpoint).await;
            catalogs.insert(provider.name.clone(), catalog);
        }
        let info = catalogs
            .get(&provider.name)
            .and_then(|c| c.as_ref())
            .and_then(|c| c.lookup(bare));
        out.push((
            info.is_some_and(crate::catalog::ModelInfo::takes_images),
            info.and_then(|m| m.context_length),
        ));
    }
    out
}
