//! The model picker's actions, and switching the panes to the chosen models.

use super::keymap::Action;
use super::panes::Pane;
use super::{Effect, Focus, Overlay, State};

pub(super) fn picker_action(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    let Some(Overlay::Picker(picker)) = &mut state.overlay else {
        return;
    };
    let catalog = state.catalog.as_ref();
    match action {
        Action::PickerToggle => {
            if let Err(e) = picker.toggle(catalog) {
                state.notify(e, true);
            }
        }
        Action::PickerSort => {
            picker.sort = picker.sort.next();
            picker.refresh(catalog, &state.prefs);
        }
        Action::PickerFreeOnly => {
            picker.free_only = !picker.free_only;
            picker.refresh(catalog, &state.prefs);
        }
        Action::PickerFavourite => {
            if let Some(id) = picker.current_id(catalog) {
                let was = state.prefs.is_favourite(&id);
                if !state.prefs.toggle_favourite(&id) && !was {
                    let max = crate::storage::prefs::MAX_FAVOURITES;
                    state.notify(
                        format!("{max} favourites already: unmark one (Ctrl-D) to add another"),
                        true,
                    );
                    return;
                }
                fx.push(Effect::SavePrefs);
            }
        }
        Action::PickerApply => {
            let chosen = picker.chosen(catalog);
            apply_models(state, chosen, fx);
        }
        _ => {}
    }
}

/// Makes the panes show `models`, keeping the conversation of panes whose model stays.
fn apply_models(state: &mut State, models: Vec<String>, fx: &mut Vec<Effect>) {
    if models.is_empty() {
        state.notify(
            "select at least one model (Space), or type a model id",
            true,
        );
        return;
    }
    let mut old: Vec<Option<Pane>> = std::mem::take(&mut state.panes)
        .into_iter()
        .map(Some)
        .collect();
    for model in &models {
        let reuse = old
            .iter()
            .position(|p| p.as_ref().is_some_and(|p| &p.model == model));
        let pane = reuse
            .and_then(|i| old[i].take())
            .unwrap_or_else(|| Pane::new(model.clone()));
        state.panes.push(pane);
    }
    for (slot, pane) in old.into_iter().enumerate() {
        let Some(mut pane) = pane else { continue };
        super::rounds::stop(&mut pane, state.now, 0, fx);
        for turn in std::mem::take(&mut pane.turns) {
            state.archive(turn, slot);
        }
    }
    state.focused = state.focused.min(state.panes.len() - 1);
    let key = crate::storage::prefs::endpoint_key(state.demo, &state.base_url).to_string();
    state.prefs.used_models(&key, &models);
    fx.push(Effect::SavePrefs);
    state.overlay = None;
    state.zoomed = false;
    state.set_focus(Focus::Editor);
}
