//! Customers > All Customers: the grid and the edit page's Account Information.

use crate::domain::error::AppError;
use crate::domain::model::{CustomerDetail, CustomerGroup, CustomerPage, CustomerQuery, Website};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerForm {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub group_id: String,
    pub is_active: String,
}

/// Everything the edit page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerEditData {
    pub customer: CustomerDetail,
    pub groups: Vec<CustomerGroup>,
    pub can_edit: bool,
}

/// Filter choices for the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridFilters {
    pub websites: Vec<Website>,
    pub groups: Vec<CustomerGroup>,
}

#[server(prefix = "/admin/api", endpoint = "customers_list")]
pub async fn list_customers(#[server(default)] query: CustomerQuery) -> Result<CustomerPage, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::db::customers;
    use crate::server::guard::{self, internal};
    guard::admin(Resource::CustomersManage).await?;
    let state = guard::state()?;
    customers::grid(&state.db.pool, query).await.map_err(internal("customer grid"))
}

#[server(prefix = "/admin/api", endpoint = "customers_filters")]
pub async fn customer_filters() -> Result<GridFilters, AppError> {
    use crate::domain::acl::Resource;
    use crate::server::db::{customers, stores};
    use crate::server::guard::{self, internal};
    guard::admin(Resource::CustomersManage).await?;
    let state = guard::state()?;
    Ok(GridFilters {
        websites: stores::websites(&state.db.pool).await.map_err(internal("websites"))?,
        groups: customers::groups(&state.db.pool).await.map_err(internal("groups"))?,
    })
}

#[server(prefix = "/admin/api", endpoint = "customers_get")]
pub async fn get_customer_edit_data(#[server(default)] id: String) -> Result<CustomerEditData, AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::input::parse_id;
    use crate::server::db::customers;
    use crate::server::guard::{self, internal};
    let admin = guard::admin(Resource::CustomersManage).await?;
    let id = parse_id(&id, "Customer")?;
    let state = guard::state()?;
    let customer = customers::detail(&state.db.pool, id)
        .await
        .map_err(internal("customer"))?
        .ok_or_else(|| AppError::NotFound("Customer with this ID no longer exists.".into()))?;
    Ok(CustomerEditData {
        customer,
        groups: customers::groups(&state.db.pool).await.map_err(internal("groups"))?,
        can_edit: admin.grant.allows(Resource::CustomersEdit),
    })
}

/// Saves Account Information from the admin. Logged with old and new values.
#[server(prefix = "/admin/api", endpoint = "customers_save")]
pub async fn save_customer(#[server(default)] form: CustomerForm) -> Result<(), AppError> {
    use crate::domain::acl::Resource;
    use crate::domain::input::{parse_id, Email, PersonName};
    use crate::server::db::audit::{self, Entry};
    use crate::server::db::customers::{self, AdminEdit};
    use crate::server::guard::{self, internal};
    let admin = guard::admin(Resource::CustomersEdit).await?;
    let id = parse_id(&form.id, "Customer")?;
    let first = PersonName::parse(&form.first_name, "first_name", "First Name")?;
    let last = PersonName::parse(&form.last_name, "last_name", "Last Name")?;
    let email = Email::parse(&form.email, "email")?;
    let group_id: i64 =
        form.group_id.trim().parse().map_err(|_| AppError::field("group_id", "Choose a customer group."))?;
    let is_active = matches!(form.is_active.as_str(), "1" | "on" | "true");
    let state = guard::state()?;
    let groups = customers::groups(&state.db.pool).await.map_err(internal("groups"))?;
    if !groups.iter().any(|g| g.id == group_id) {
        return Err(AppError::field("group_id", "Choose a customer group."));
    }
    let mut tx = state.db.begin().await.map_err(internal("begin"))?;
    let before = customers::detail_tx(&mut tx, id)
        .await
        .map_err(internal("customer"))?
        .ok_or_else(|| AppError::NotFound("Customer with this ID no longer exists.".into()))?;
    let share = super::storefront_sharing(before.website_id).await?;
    if customers::email_taken(&mut tx, &email.normalized(), share, id).await.map_err(internal("email check"))? {
        return Err(AppError::conflict(
            "email",
            "A customer with the same email address already exists in an associated website.",
        ));
    }
    let edit =
        AdminEdit { first_name: first.as_str(), last_name: last.as_str(), email: email.as_str(), group_id, is_active };
    customers::admin_update(&mut tx, id, &edit).await.map_err(|e| {
        if crate::server::db::is_unique_violation(&e) {
            AppError::conflict(
                "email",
                "A customer with the same email address already exists in an associated website.",
            )
        } else {
            internal("update customer")(e)
        }
    })?;
    let snapshot = |first: &str, last: &str, email: &str, group: i64, active: bool| {
        serde_json::json!({"first_name": first, "last_name": last, "email": email, "group_id": group, "is_active": active})
            .to_string()
    };
    audit::write(
        &mut tx,
        &admin.actor(),
        Entry {
            group: audit::group::CUSTOMERS,
            action: "Save customer",
            target_type: "customer",
            target_id: id.to_string(),
            old: Some(snapshot(
                &before.first_name,
                &before.last_name,
                &before.email,
                before.group_id,
                before.is_active,
            )),
            new: Some(snapshot(first.as_str(), last.as_str(), email.as_str(), group_id, is_active)),
            result: "success",
        },
    )
    .await
    .map_err(internal("audit"))?;
    tx.commit().await.map_err(internal("commit"))?;
    Ok(())
}
