//! The admin resource tree. This one definition drives the role editor, the admin menu and
//! every server-side permission check.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

macro_rules! resources {
    ($( $variant:ident = $id:literal, $key:ident, $parent:expr; )*) => {
        /// A permission an admin role may hold. Holding a child implies holding its ancestors.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Resource { $( $variant ),* }

        impl Resource {
            /// Every resource, parents before children, in tree order.
            pub const ALL: &'static [Resource] = &[ $( Resource::$variant ),* ];

            /// Stable identifier stored in the database.
            pub fn id(self) -> &'static str {
                match self { $( Resource::$variant => $id ),* }
            }

            /// Its name in `locale` (the role editor, the menu, refusals).
            pub fn label_in(self, locale: crate::l10n::locale::Locale) -> String {
                match self { $( Resource::$variant => crate::tr_in!(locale, admin.resource.$key) ),* }
            }

            /// Its name in English (the JSON API, the command line).
            pub fn label(self) -> String {
                self.label_in(crate::l10n::locale::Locale::en_US)
            }

            /// The parent node, or `None` for a top-level node.
            pub fn parent(self) -> Option<Resource> {
                match self { $( Resource::$variant => $parent ),* }
            }
        }
    };
}

use Resource as R;

resources! {
    Dashboard = "dashboard", dashboard, None;
    Sales = "sales", sales, None;
    SalesOperations = "sales.operations", sales_operations, Some(R::Sales);
    SalesOrders = "sales.orders", sales_orders, Some(R::SalesOperations);
    Catalog = "catalog", catalog, None;
    CatalogInventory = "catalog.inventory", catalog_inventory, Some(R::Catalog);
    CatalogProducts = "catalog.inventory.products", catalog_inventory_products, Some(R::CatalogInventory);
    CatalogCategories = "catalog.categories", catalog_categories, Some(R::Catalog);
    Customers = "customers", customers, None;
    CustomersManage = "customers.manage", customers_manage, Some(R::Customers);
    CustomersActions = "customers.actions", customers_actions, Some(R::CustomersManage);
    CustomersEdit = "customers.actions.edit", customers_actions_edit, Some(R::CustomersActions);
    CustomersAssistanceOptIn = "customers.actions.assistance_opt_in", customers_actions_assistance_opt_in, Some(R::CustomersActions);
    Assist = "login_as_customer", login_as_customer, Some(R::Customers);
    AssistLogin = "login_as_customer.login", login_as_customer_login, Some(R::Assist);
    AssistViewLog = "login_as_customer.view_log", login_as_customer_view_log, Some(R::Assist);
    Stores = "stores", stores, None;
    StoresSettings = "stores.settings", stores_settings, Some(R::Stores);
    StoresAllStores = "stores.settings.all_stores", stores_settings_all_stores, Some(R::StoresSettings);
    StoresConfig = "stores.settings.config", stores_settings_config, Some(R::StoresSettings);
    ConfigGeneralSection = "stores.settings.config.general", stores_settings_config_general, Some(R::StoresConfig);
    ConfigCustomerSection = "stores.settings.config.customer", stores_settings_config_customer, Some(R::StoresConfig);
    ConfigAssistSection = "stores.settings.config.login_as_customer", stores_settings_config_login_as_customer, Some(R::StoresConfig);
    ConfigCarriersSection = "stores.settings.config.carriers", stores_settings_config_carriers, Some(R::StoresConfig);
    ConfigSystemSection = "stores.settings.config.system", stores_settings_config_system, Some(R::StoresConfig);
    ConfigAdminSection = "stores.settings.config.admin", stores_settings_config_admin, Some(R::StoresConfig);
    System = "system", system, None;
    SystemPermissions = "system.permissions", system_permissions, Some(R::System);
    SystemUsers = "system.permissions.users", system_permissions_users, Some(R::SystemPermissions);
    SystemRoles = "system.permissions.roles", system_permissions_roles, Some(R::SystemPermissions);
    SystemActionLogs = "system.action_logs", system_action_logs, Some(R::System);
    SystemActionLogReport = "system.action_logs.report", system_action_logs_report, Some(R::SystemActionLogs);
    SystemIntegrations = "system.integrations", system_integrations, Some(R::System);
}

impl Resource {
    /// Looks a resource up by its stored identifier.
    pub fn from_id(id: &str) -> Option<Resource> {
        Resource::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// Direct children, in tree order.
    pub fn children(self) -> impl Iterator<Item = Resource> {
        Resource::ALL.iter().copied().filter(move |r| r.parent() == Some(self))
    }

    /// Top-level nodes, in tree order.
    pub fn roots() -> impl Iterator<Item = Resource> {
        Resource::ALL.iter().copied().filter(|r| r.parent().is_none())
    }

    /// This node's ancestors, nearest first.
    pub fn ancestors(self) -> impl Iterator<Item = Resource> {
        std::iter::successors(self.parent(), |r| r.parent())
    }

    /// Whether `self` is `other` or lies below it.
    pub fn is_within(self, other: Resource) -> bool {
        self == other || self.ancestors().any(|a| a == other)
    }

    /// How deep the node sits (roots are 0).
    pub fn depth(self) -> usize {
        self.ancestors().count()
    }
}

/// What a role grants: everything, or a set closed under "parent of".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grant {
    All,
    Custom(BTreeSet<Resource>),
}

impl Grant {
    /// Builds a custom grant, adding every ancestor of each ticked node so the set is closed.
    pub fn custom(ticked: impl IntoIterator<Item = Resource>) -> Grant {
        let mut set = BTreeSet::new();
        for r in ticked {
            set.insert(r);
            set.extend(r.ancestors());
        }
        Grant::Custom(set)
    }

    pub fn allows(&self, resource: Resource) -> bool {
        match self {
            Grant::All => true,
            Grant::Custom(set) => set.contains(&resource),
        }
    }

    /// The resources granted, in tree order.
    pub fn resources(&self) -> Vec<Resource> {
        Resource::ALL.iter().copied().filter(|r| self.allows(*r)).collect()
    }
}

/// Which websites a role's admins work on (Role Scopes): all, or a list. A scope limits what
/// the resources reach: customers of other websites are not shown and cannot be assisted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    #[default]
    All,
    Websites(BTreeSet<i64>),
}

impl Scope {
    /// Whether customers of `website_id` are within this scope.
    pub fn covers(&self, website_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Websites(set) => set.contains(&website_id),
        }
    }

    /// Whether every website `other` covers is covered here too.
    pub fn includes(&self, other: &Scope) -> bool {
        match (self, other) {
            (Scope::All, _) => true,
            (Scope::Websites(_), Scope::All) => false,
            (Scope::Websites(mine), Scope::Websites(theirs)) => theirs.is_subset(mine),
        }
    }

    /// The websites listed, `None` for all.
    pub fn websites(&self) -> Option<Vec<i64>> {
        match self {
            Scope::All => None,
            Scope::Websites(set) => Some(set.iter().copied().collect()),
        }
    }
}

/// Tree editing rule: ticking a node ticks its ancestors.
pub fn tick(set: &mut BTreeSet<Resource>, node: Resource) {
    set.insert(node);
    set.extend(node.ancestors());
}

/// Tree editing rule: unticking a node clears its descendants.
pub fn untick(set: &mut BTreeSet<Resource>, node: Resource) {
    set.retain(|r| !r.is_within(node));
}

/// One entry of the admin menu: the resource that shows it, its label and where it goes.
#[derive(Clone, Copy, Debug)]
pub struct MenuItem {
    pub resource: Resource,
    pub label: crate::l10n::text::Label,
    pub href: &'static str,
}

/// A top-level menu section and its entries.
#[derive(Clone, Copy, Debug)]
pub struct MenuSection {
    pub resource: Resource,
    pub label: crate::l10n::text::Label,
    pub items: &'static [MenuItem],
}

/// The admin menu. Each section and entry is shown only when the role allows its resource.
pub const MENU: &[MenuSection] = &[
    MenuSection {
        resource: R::Dashboard,
        label: |l| crate::tr_in!(l, admin.menu.dashboard),
        items: &[MenuItem {
            resource: R::Dashboard,
            label: |l| crate::tr_in!(l, admin.menu.dashboard),
            href: "/admin/dashboard",
        }],
    },
    // Sales gets its entries (Orders, Invoices, ...) with the sales documents; a section
    // without entries is not shown.
    MenuSection { resource: R::Sales, label: |l| crate::tr_in!(l, admin.menu.sales), items: &[] },
    MenuSection {
        resource: R::Catalog,
        label: |l| crate::tr_in!(l, admin.menu.catalog),
        items: &[
            MenuItem {
                resource: R::CatalogProducts,
                label: |l| crate::tr_in!(l, admin.menu.products),
                href: "/admin/catalog/products",
            },
            MenuItem {
                resource: R::CatalogCategories,
                label: |l| crate::tr_in!(l, admin.menu.categories),
                href: "/admin/catalog/categories",
            },
        ],
    },
    MenuSection {
        resource: R::Customers,
        label: |l| crate::tr_in!(l, admin.menu.customers),
        items: &[
            MenuItem {
                resource: R::CustomersManage,
                label: |l| crate::tr_in!(l, admin.menu.all_customers),
                href: "/admin/customers",
            },
            MenuItem {
                resource: R::AssistViewLog,
                label: |l| crate::tr_in!(l, admin.menu.login_as_customer_log),
                href: "/admin/loginascustomer/log",
            },
        ],
    },
    MenuSection {
        resource: R::Stores,
        label: |l| crate::tr_in!(l, admin.menu.stores),
        items: &[
            MenuItem {
                resource: R::StoresAllStores,
                label: |l| crate::tr_in!(l, admin.menu.all_stores),
                href: "/admin/stores",
            },
            MenuItem {
                resource: R::StoresConfig,
                label: |l| crate::tr_in!(l, admin.menu.configuration),
                href: "/admin/config",
            },
        ],
    },
    MenuSection {
        resource: R::System,
        label: |l| crate::tr_in!(l, admin.menu.system),
        items: &[
            MenuItem {
                resource: R::SystemUsers,
                label: |l| crate::tr_in!(l, admin.menu.all_users),
                href: "/admin/system/users",
            },
            MenuItem {
                resource: R::SystemRoles,
                label: |l| crate::tr_in!(l, admin.menu.user_roles),
                href: "/admin/system/roles",
            },
            MenuItem {
                resource: R::SystemActionLogReport,
                label: |l| crate::tr_in!(l, admin.menu.report),
                href: "/admin/system/action-logs",
            },
            MenuItem {
                resource: R::SystemIntegrations,
                label: |l| crate::tr_in!(l, admin.menu.integrations),
                href: "/admin/system/integrations",
            },
        ],
    },
];

/// The menu as one role sees it: sections with at least one allowed entry.
pub fn visible_menu(grant: &Grant) -> Vec<(crate::l10n::text::Label, Vec<MenuItem>)> {
    MENU.iter()
        .filter(|s| grant.allows(s.resource))
        .map(|s| (s.label, s.items.iter().copied().filter(|i| grant.allows(i.resource)).collect::<Vec<_>>()))
        .filter(|(_, items)| !items.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_unique_and_round_trip() {
        let mut seen = BTreeSet::new();
        for r in Resource::ALL {
            assert!(seen.insert(r.id()), "duplicate id {}", r.id());
            assert_eq!(Resource::from_id(r.id()), Some(*r));
        }
    }

    #[test]
    fn parents_come_before_children() {
        for (i, r) in Resource::ALL.iter().enumerate() {
            if let Some(p) = r.parent() {
                let pi = Resource::ALL.iter().position(|x| *x == p).unwrap();
                assert!(pi < i, "{:?} listed before its parent", r);
            }
        }
    }

    #[test]
    fn the_spec_tree_paths_exist() {
        let path = |r: Resource| {
            let mut labels: Vec<_> = r.ancestors().map(|a| a.label()).collect();
            labels.reverse();
            labels.push(r.label());
            labels.join(" > ")
        };
        assert_eq!(path(R::AssistLogin), "Customers > Login as Customer > Allow Login as Customer");
        assert_eq!(path(R::AssistViewLog), "Customers > Login as Customer > View Login as Customer Log");
        assert_eq!(
            path(R::CustomersAssistanceOptIn),
            "Customers > All Customers > Actions > Remote shopping assistance opt-in"
        );
        assert_eq!(path(R::ConfigAssistSection), "Stores > Settings > Configuration > Login as Customer Section");
    }

    #[test]
    fn ticking_a_child_ticks_its_ancestors() {
        let mut set = BTreeSet::new();
        tick(&mut set, R::AssistLogin);
        assert_eq!(set, BTreeSet::from([R::Customers, R::Assist, R::AssistLogin]));
    }

    #[test]
    fn unticking_a_parent_clears_its_descendants() {
        let mut set = BTreeSet::new();
        tick(&mut set, R::AssistLogin);
        tick(&mut set, R::CustomersEdit);
        untick(&mut set, R::Assist);
        assert!(!set.contains(&R::AssistLogin));
        assert!(set.contains(&R::CustomersEdit));
        assert!(set.contains(&R::Customers));
    }

    #[test]
    fn custom_grant_is_closed_upward_and_all_allows_everything() {
        let g = Grant::custom([R::SystemRoles]);
        assert!(g.allows(R::System) && g.allows(R::SystemPermissions) && g.allows(R::SystemRoles));
        assert!(!g.allows(R::SystemUsers));
        assert!(Resource::ALL.iter().all(|r| Grant::All.allows(*r)));
    }

    #[test]
    fn the_menu_shows_only_allowed_entries() {
        let g = Grant::custom([R::CustomersManage]);
        let menu = visible_menu(&g);
        assert_eq!(menu.len(), 1);
        assert_eq!((menu[0].0)(crate::l10n::locale::Locale::en_US), "Customers");
        assert_eq!(visible_menu(&Grant::All).len(), MENU.iter().filter(|s| !s.items.is_empty()).count());
    }
}
