//! The role resource tree: a checkbox per node, where ticking a node ticks its ancestors
//! and unticking it clears its descendants (rules from `domain::acl`). The ticked ids are
//! posted in one hidden field.

use crate::domain::acl::{self, Resource};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// `grantable` are the nodes the viewing admin may tick or untick (others are shown disabled);
/// a `locked` tree shows its nodes and changes nothing.
#[component]
pub fn ResourceTree(
    initial: Vec<Resource>,
    #[prop(into)] name: String,
    grantable: Vec<Resource>,
    #[prop(optional)] locked: bool,
) -> impl IntoView {
    let ticked = RwSignal::new(initial.into_iter().collect::<BTreeSet<Resource>>());
    let enabled = StoredValue::new(if locked { BTreeSet::new() } else { grantable.into_iter().collect() });
    let joined = move || ticked.with(|s| s.iter().map(|r| r.id()).collect::<Vec<_>>().join(","));
    view! {
        <input type="hidden" name=name value=joined/>
        <ul class="resource-tree" role="tree" aria-label=crate::tr!(admin.roles.tab_resources)>
            {Resource::roots().map(|r| view! { <TreeNode node=r ticked enabled/> }).collect_view()}
        </ul>
    }
}

#[component]
fn TreeNode(
    node: Resource,
    ticked: RwSignal<BTreeSet<Resource>>,
    enabled: StoredValue<BTreeSet<Resource>>,
) -> impl IntoView {
    let id = format!("res-{}", node.id().replace('.', "-"));
    let children: Vec<Resource> = node.children().collect();
    let on_change = move |ev: leptos::ev::Event| {
        let checked = event_target_checked(&ev);
        ticked.update(|set| if checked { acl::tick(set, node) } else { acl::untick(set, node) });
    };
    view! {
        <li role="treeitem">
            <input
                type="checkbox"
                id=id.clone()
                data-resource=node.id()
                prop:checked=move || ticked.with(|s| s.contains(&node))
                checked=ticked.with_untracked(|s| s.contains(&node))
                disabled=!enabled.with_value(|e| e.contains(&node))
                on:change=on_change
            />
            <label for=id>{node.label_in(crate::l10n::current())}</label>
            {(!children.is_empty()).then(|| view! {
                <ul role="group">
                    {children.into_iter().map(|c| view! { <TreeNode node=c ticked enabled/> }.into_any()).collect_view()}
                </ul>
            })}
        </li>
    }
}
