"""Roles scoped to areas, on Django's groups and permissions.

A council member (rådsmedlem) enters outcomes and comments for the promises of their areas; a
coordinator (samordnare) also edits promises, commitments and indicators there and publishes; an
administrator is a superuser. The group gives the permissions, a `Membership` the areas.
"""

from django.contrib.auth.models import Group, Permission

from promises.models import Area, Membership

COUNCIL_MEMBER_GROUP = "Rådsmedlem"
COORDINATOR_GROUP = "Samordnare"

# The permissions of each role on this app's models; an app above adds those on its own models
# (`add_permissions`, from its AppConfig.ready). A coordinator has every council member's too.
GROUPS = {
    COUNCIL_MEMBER_GROUP: [
        "promises.view_area", "promises.view_party", "promises.view_theme",
        "promises.view_municipality",
        "promises.view_promise", "promises.view_signatory", "promises.view_commitment",
        "promises.view_indicator",
    ],
    COORDINATOR_GROUP: [
        "promises.add_promise", "promises.change_promise", "promises.delete_promise",
        "promises.add_signatory", "promises.change_signatory", "promises.delete_signatory",
        "promises.add_commitment", "promises.change_commitment", "promises.delete_commitment",
        "promises.add_indicator", "promises.change_indicator", "promises.delete_indicator",
        "promises.publish_promise",
    ],
}  # fmt: skip
# Whose permissions a role has as well.
INCLUDES = {COORDINATOR_GROUP: COUNCIL_MEMBER_GROUP}


def add_permissions(group, codes):
    """Give a role the permissions `codes` ("app_label.codename") as well."""
    for code in codes:
        if code not in GROUPS[group]:
            GROUPS[group].append(code)


def permissions_of(group):
    included = INCLUDES.get(group)
    return [*(permissions_of(included) if included else []), *GROUPS[group]]


ROLE_GROUPS = {
    Membership.Role.COUNCIL_MEMBER: COUNCIL_MEMBER_GROUP,
    Membership.Role.COORDINATOR: COORDINATOR_GROUP,
}


def ensure_groups():
    """Creates or updates the role groups with exactly their permissions."""
    for name in GROUPS:
        codes = permissions_of(name)
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in (code.split(".") for code in codes)
        ]
        group.permissions.set(permissions)


def grant(user, area, role):
    """Gives a user a role in an area (and the staff flag and group that come with it)."""
    Membership.objects.update_or_create(user=user, area=area, defaults={"role": role})
    ensure_groups()
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def areas_of(user, role=None):
    """The areas a user works in (every area for an administrator)."""
    if user.is_superuser:
        return Area.objects.all()
    if not user.is_authenticated:
        return Area.objects.none()
    memberships = Membership.objects.filter(user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    return Area.objects.filter(pk__in=memberships.values("area"))


def coordinates(user, area):
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, area=area, role=Membership.Role.COORDINATOR
        ).exists()
    )


def may_publish(user, promise):
    """Publishing and unpublishing a promise or its follow-ups is a coordinator's step (or an
    administrator's), in the promise's own area."""
    return user.has_perm("promises.publish_promise") and coordinates(user, promise.area)
