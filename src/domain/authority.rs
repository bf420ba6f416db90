//! Who may change whose privileges: the one rule behind the user and role saves (from the
//! screens, the command line and the JSON API alike), kept pure so a table of cases can test
//! it; and what a screen shows ahead of time that the rule would refuse.
//!
//! Stricter than Magento's, in line with identity systems that hold up under attack:
//! - an admin grants only resources their own role holds (a role with `All` only by an admin
//!   with `All`), whether by saving a role or by putting a user into one;
//! - an admin does not touch (edit, reset, deactivate, move) a user, nor edit a role, that
//!   holds a resource they lack;
//! - an admin does not change their own role, neither which role they are in nor what it grants;
//! - the last active admin with `All` can be neither deactivated nor demoted.

use super::acl::{Grant, Scope};
use super::error::AppError;
use super::msg::Msg;
use serde::{Deserialize, Serialize};

impl Scope {
    /// Refuses a customer of a website outside this scope as if it did not exist (the
    /// screens, the JSON API and the logs answer alike, so a scope is not a way to probe ids).
    pub fn ensure_covers(&self, website_id: i64) -> Result<(), AppError> {
        if self.covers(website_id) {
            Ok(())
        } else {
            Err(AppError::not_found(Msg::CustomerNotFound))
        }
    }
}

/// The acting admin: their id (`None` for the server's own console) and what their role grants.
#[derive(Clone, Copy, Debug)]
pub struct Acting<'a> {
    pub id: Option<i64>,
    pub grant: &'a Grant,
}

/// An admin user as stored before the change.
#[derive(Clone, Copy, Debug)]
pub struct UserNow<'a> {
    pub id: i64,
    pub grant: &'a Grant,
    pub is_active: bool,
}

impl UserNow<'_> {
    fn full_and_active(&self) -> bool {
        self.is_active && matches!(self.grant, Grant::All)
    }
}

/// A role as stored before the change.
#[derive(Clone, Copy, Debug)]
pub struct RoleNow<'a> {
    pub grant: &'a Grant,
    /// Whether the acting admin is in this role.
    pub has_acting: bool,
    /// How many active admins are in this role.
    pub active_members: i64,
}

/// A change of privileges, described by what it touches.
#[derive(Clone, Copy, Debug)]
pub enum Change<'a> {
    /// A new admin user in a role granting `role`.
    CreateUser { role: &'a Grant },
    /// Saving an existing user; `role` is the new role's grant when the role changes.
    EditUser { user: UserNow<'a>, role: Option<&'a Grant>, active: bool },
    /// Setting another password for a user.
    ResetPassword { user: UserNow<'a> },
    /// Creating (`role: None`) or saving a role, to grant `grant`; `grant_changes` is false
    /// when only the name changes.
    SaveRole { role: Option<RoleNow<'a>>, grant: &'a Grant, grant_changes: bool },
    /// Moving a user into a role granting `to` (the role editor's Role Users tab).
    MoveUser { user: UserNow<'a>, to: &'a Grant },
}

/// Why a change is refused. Each says what the screen shows in its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The change would grant a resource the acting admin's role lacks.
    GrantsMore,
    /// The user or role holds a resource the acting admin's role lacks.
    Outranked,
    /// Admins do not change their own role.
    OwnRole,
    /// Admins do not deactivate themselves.
    OwnAccount,
    /// It would leave no active admin with `All`.
    LastFullAdmin,
    /// The change would grant websites outside the acting admin's role scope.
    WiderScope,
    /// The user or role covers websites outside the acting admin's role scope.
    OutsideScope,
}

impl Refusal {
    pub fn msg(self) -> Msg {
        match self {
            Refusal::GrantsMore => Msg::GrantsMore,
            Refusal::Outranked => Msg::Outranked,
            Refusal::OwnRole => Msg::OwnRole,
            Refusal::WiderScope => Msg::WiderScope,
            Refusal::OutsideScope => Msg::OutsideScope,
            Refusal::OwnAccount => Msg::OwnAccount,
            Refusal::LastFullAdmin => Msg::LastFullAdmin,
        }
    }
}

impl Grant {
    /// Whether everything `other` grants is granted here too.
    pub fn covers(&self, other: &Grant) -> bool {
        match (self, other) {
            (Grant::All, _) => true,
            (Grant::Custom(_), Grant::All) => false,
            (Grant::Custom(mine), Grant::Custom(theirs)) => theirs.is_subset(mine),
        }
    }
}

/// The scope half of the rule: an admin whose role covers only some websites neither touches
/// a user or role covering more (`touched`) nor grants a wider scope (`granting`).
pub fn check_scope(acting: &Scope, touched: Option<&Scope>, granting: Option<&Scope>) -> Result<(), Refusal> {
    ensure(touched.is_none_or(|t| acting.includes(t)), Refusal::OutsideScope)?;
    ensure(granting.is_none_or(|g| acting.includes(g)), Refusal::WiderScope)
}

/// Decides `change` by `acting`, given how many active admins hold `All` right now.
pub fn check(acting: Acting<'_>, change: Change<'_>, active_full_admins: i64) -> Result<(), Refusal> {
    let covers = |g: &Grant| acting.grant.covers(g);
    let is_me = |id: i64| acting.id == Some(id);
    // Would the last active admin with `All` lose it?
    let last_full =
        |user: &UserNow<'_>, keeps_all: bool| user.full_and_active() && !keeps_all && active_full_admins <= 1;
    match change {
        Change::CreateUser { role } => ensure(covers(role), Refusal::GrantsMore),
        Change::EditUser { user, role, active } => {
            ensure(covers(user.grant), Refusal::Outranked)?;
            if role.is_some() {
                ensure(!is_me(user.id), Refusal::OwnRole)?;
            }
            ensure(role.is_none_or(covers), Refusal::GrantsMore)?;
            ensure(active || !is_me(user.id), Refusal::OwnAccount)?;
            let keeps_all = active && matches!(role.unwrap_or(user.grant), Grant::All);
            ensure(!last_full(&user, keeps_all), Refusal::LastFullAdmin)
        }
        Change::ResetPassword { user } => ensure(covers(user.grant), Refusal::Outranked),
        Change::SaveRole { role, grant, grant_changes } => {
            if let Some(now) = role {
                ensure(covers(now.grant), Refusal::Outranked)?;
                ensure(!(grant_changes && now.has_acting), Refusal::OwnRole)?;
                let demotes = matches!(now.grant, Grant::All) && !matches!(grant, Grant::All);
                ensure(!(demotes && now.active_members >= active_full_admins), Refusal::LastFullAdmin)?;
            }
            ensure(covers(grant), Refusal::GrantsMore)
        }
        Change::MoveUser { user, to } => {
            ensure(!is_me(user.id), Refusal::OwnRole)?;
            ensure(covers(user.grant), Refusal::Outranked)?;
            ensure(covers(to), Refusal::GrantsMore)?;
            ensure(!last_full(&user, matches!(to, Grant::All)), Refusal::LastFullAdmin)
        }
    }
}

fn ensure(ok: bool, refusal: Refusal) -> Result<(), Refusal> {
    if ok {
        Ok(())
    } else {
        Err(refusal)
    }
}

/// What the viewing admin may not change on a user's edit page, and why: the privilege rule
/// (`domain::authority`) applied ahead of time, so the screen shows it instead of failing on save.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLimits {
    /// Nothing may be changed (the user holds resources the viewer lacks).
    pub read_only: Option<Msg>,
    /// The role may not be changed (the viewer's own).
    pub role_fixed: Option<Msg>,
    /// The account may not be deactivated (the viewer's own, or the last full admin).
    pub active_fixed: Option<Msg>,
    /// Roles the viewer may not give this user, each with why.
    pub unavailable_roles: Vec<(i64, Msg)>,
}

/// What the viewing admin may not change on a role, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleLimits {
    /// Nothing may be changed (the role holds resources the viewer lacks).
    pub read_only: Option<Msg>,
    /// The resources may not be changed (the viewer's own role, or it holds the last full admins).
    pub grant_fixed: Option<Msg>,
    /// Whether the viewer may grant `All`.
    pub all_allowed: bool,
    /// The resources the viewer may grant.
    pub grantable: Vec<super::acl::Resource>,
    /// The websites the viewer may put in the role's scope (`None`: any, and `All`).
    #[serde(default)]
    pub grantable_websites: Option<Vec<i64>>,
    /// Users the viewer may not move into this role, each with why.
    pub unmovable: Vec<(i64, Msg)>,
}

#[cfg(test)]
mod scope_tests {
    use super::*;
    use std::collections::BTreeSet;

    fn sites(ids: &[i64]) -> Scope {
        Scope::Websites(ids.iter().copied().collect::<BTreeSet<_>>())
    }

    #[test]
    fn nobody_grants_or_touches_a_scope_wider_than_their_own() {
        type Case = (Scope, Option<Scope>, Option<Scope>, Result<(), Refusal>);
        let cases: &[Case] = &[
            (Scope::All, Some(Scope::All), Some(Scope::All), Ok(())),
            (sites(&[1]), Some(sites(&[1])), Some(sites(&[1])), Ok(())),
            (sites(&[1, 2]), Some(sites(&[2])), Some(sites(&[1])), Ok(())),
            (sites(&[1]), None, Some(Scope::All), Err(Refusal::WiderScope)),
            (sites(&[1]), None, Some(sites(&[1, 2])), Err(Refusal::WiderScope)),
            (sites(&[1]), Some(Scope::All), None, Err(Refusal::OutsideScope)),
            (sites(&[1]), Some(sites(&[2])), Some(sites(&[1])), Err(Refusal::OutsideScope)),
            (sites(&[]), None, Some(sites(&[])), Ok(())),
        ];
        for (i, (acting, touched, granting, want)) in cases.iter().enumerate() {
            assert_eq!(check_scope(acting, touched.as_ref(), granting.as_ref()), *want, "case {i}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::acl::Resource as R;
    use Change::*;
    use Refusal::*;

    #[test]
    fn the_rule_table() {
        let all = Grant::All;
        let users = Grant::custom([R::SystemUsers]);
        let roles = Grant::custom([R::SystemRoles]);
        let both = Grant::custom([R::SystemUsers, R::SystemRoles]);
        let customers = Grant::custom([R::CustomersManage]);
        let none = Grant::custom([]);
        let me = |grant| Acting { id: Some(1), grant };
        let console = Acting { id: None, grant: &all };
        let user = |id, grant, is_active| UserNow { id, grant, is_active };
        let role = |grant, has_acting, active_members| RoleNow { grant, has_acting, active_members };

        type Case<'a> = (&'a str, Acting<'a>, Change<'a>, i64, Result<(), Refusal>);
        #[rustfmt::skip]
        let cases: Vec<Case> = vec![
            // Creating users: only into roles the creator covers.
            ("users admin creates a users admin", me(&users), CreateUser { role: &users }, 1, Ok(())),
            ("users admin creates a full admin", me(&users), CreateUser { role: &all }, 1, Err(GrantsMore)),
            ("users admin creates a customers admin", me(&users), CreateUser { role: &customers }, 1, Err(GrantsMore)),
            ("full admin creates a full admin", me(&all), CreateUser { role: &all }, 1, Ok(())),
            ("the console creates a full admin", console, CreateUser { role: &all }, 0, Ok(())),
            // Editing users.
            ("users admin saves themselves into Administrators", me(&users),
                EditUser { user: user(1, &users, true), role: Some(&all), active: true }, 1, Err(OwnRole)),
            ("users admin edits a peer's name", me(&users),
                EditUser { user: user(2, &users, true), role: None, active: true }, 1, Ok(())),
            ("users admin edits the main admin", me(&users),
                EditUser { user: user(2, &all, true), role: None, active: true }, 1, Err(Outranked)),
            ("users admin deactivates the only full admin", me(&users),
                EditUser { user: user(2, &all, true), role: None, active: false }, 1, Err(Outranked)),
            ("users admin moves a peer to a customers role", me(&users),
                EditUser { user: user(2, &users, true), role: Some(&customers), active: true }, 1, Err(GrantsMore)),
            ("users admin moves a peer to a role with nothing", me(&users),
                EditUser { user: user(2, &users, true), role: Some(&none), active: true }, 1, Ok(())),
            ("users+roles admin edits a users admin", me(&both),
                EditUser { user: user(2, &users, true), role: Some(&roles), active: true }, 1, Ok(())),
            ("admin deactivates themselves", me(&users),
                EditUser { user: user(1, &users, true), role: None, active: false }, 1, Err(OwnAccount)),
            ("full admin demotes the only other full admin", me(&all),
                EditUser { user: user(2, &all, true), role: Some(&users), active: true }, 2, Ok(())),
            ("full admin deactivates another full admin", me(&all),
                EditUser { user: user(2, &all, true), role: None, active: false }, 2, Ok(())),
            ("the console deactivates the last full admin", console,
                EditUser { user: user(2, &all, true), role: None, active: false }, 1, Err(LastFullAdmin)),
            ("the console demotes the last full admin", console,
                EditUser { user: user(2, &all, true), role: Some(&users), active: true }, 1, Err(LastFullAdmin)),
            ("full admin reactivates an inactive full admin", me(&all),
                EditUser { user: user(2, &all, false), role: None, active: true }, 1, Ok(())),
            ("full admin edits an inactive full admin while alone", me(&all),
                EditUser { user: user(2, &all, false), role: Some(&users), active: false }, 1, Ok(())),
            // Resetting passwords.
            ("users admin resets the main admin's password", me(&users), ResetPassword { user: user(2, &all, true) }, 1, Err(Outranked)),
            ("users admin resets a peer's password", me(&users), ResetPassword { user: user(2, &users, true) }, 1, Ok(())),
            ("the console resets anyone's password", console, ResetPassword { user: user(2, &all, true) }, 1, Ok(())),
            // Roles.
            ("roles admin sets their own role to All", me(&roles),
                SaveRole { role: Some(role(&roles, true, 1)), grant: &all, grant_changes: true }, 1, Err(OwnRole)),
            ("roles admin renames their own role", me(&roles),
                SaveRole { role: Some(role(&roles, true, 1)), grant: &roles, grant_changes: false }, 1, Ok(())),
            ("roles admin creates an All role", me(&roles), SaveRole { role: None, grant: &all, grant_changes: true }, 1, Err(GrantsMore)),
            ("roles admin creates a customers role", me(&roles), SaveRole { role: None, grant: &customers, grant_changes: true }, 1, Err(GrantsMore)),
            ("roles admin creates a narrower role", me(&both), SaveRole { role: None, grant: &roles, grant_changes: true }, 1, Ok(())),
            ("roles admin edits Administrators", me(&roles),
                SaveRole { role: Some(role(&all, false, 1)), grant: &all, grant_changes: false }, 1, Err(Outranked)),
            ("full admin demotes the role of every full admin", me(&all),
                SaveRole { role: Some(role(&all, false, 2)), grant: &users, grant_changes: true }, 2, Err(LastFullAdmin)),
            ("full admin demotes one of two All roles", me(&all),
                SaveRole { role: Some(role(&all, false, 1)), grant: &users, grant_changes: true }, 2, Ok(())),
            ("full admin demotes their own role", me(&all),
                SaveRole { role: Some(role(&all, true, 1)), grant: &users, grant_changes: true }, 1, Err(OwnRole)),
            // Moving users into a role.
            ("roles admin adds themselves to another role", me(&roles), MoveUser { user: user(1, &roles, true), to: &roles }, 1, Err(OwnRole)),
            ("roles admin moves the main admin down", me(&roles), MoveUser { user: user(2, &all, true), to: &roles }, 1, Err(Outranked)),
            ("roles admin moves a peer into their kind of role", me(&roles), MoveUser { user: user(2, &none, true), to: &roles }, 1, Ok(())),
            ("roles admin moves a peer into a bigger role", me(&roles), MoveUser { user: user(2, &none, true), to: &both }, 1, Err(GrantsMore)),
            ("full admin moves the last full admin down", me(&all), MoveUser { user: user(2, &all, true), to: &users }, 1, Err(LastFullAdmin)),
            ("full admin moves a second full admin down", me(&all), MoveUser { user: user(2, &all, true), to: &users }, 2, Ok(())),
        ];
        for (name, acting, change, full, expected) in cases {
            assert_eq!(check(acting, change, full), expected, "{name}");
        }
    }

    #[test]
    fn covering_is_inclusion_and_only_all_covers_all() {
        let users = Grant::custom([R::SystemUsers]);
        let system = Grant::custom([R::SystemUsers, R::SystemRoles]);
        assert!(system.covers(&users) && !users.covers(&system));
        assert!(Grant::All.covers(&Grant::All) && !system.covers(&Grant::All));
        assert!(users.covers(&Grant::custom([])));
    }
}
