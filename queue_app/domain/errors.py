"""Every error with a status: the rules' (domain), the API's (a malformed request) and
authentication's. The API answers with `status`; pages turn `code` into a message."""


class DomainError(Exception):
    code = "domain_error"
    status = 422

    def __init__(self, message, code=None, status=None, **details):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details


class BadRequest(DomainError):
    """A request that is malformed before any rule is asked."""
    code = "bad_request"
    status = 400


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class Gone(Conflict):
    """Something that existed and lapsed (a reservation not confirmed in time)."""
    code = "gone"
    status = 410


class TooEarly(Conflict):
    """Checking in before the appointment's check-in window opens."""
    code = "too_early"


class TooLate(Conflict):
    """Checking in after the appointment's grace time."""
    code = "too_late"


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422


class Problems:
    """Every field's problem of one request, so a form (or an API client) hears them all
    at once instead of one per attempt. Raised as one InvalidInput whose `code`, `message`
    and `field` are the first problem's (what clients read before) and whose `fields`
    detail lists each: [{"field", "code", "message"}]."""

    def __init__(self):
        self.found = []

    def check(self, check, *args, **kwargs):
        """check(*args), or None with its problem noted."""
        try:
            return check(*args, **kwargs)
        except InvalidInput as exc:
            self.found.append(exc)
            return None

    def note(self, exc):
        self.found.append(exc)

    def raise_any(self):
        if not self.found:
            return
        first = self.found[0]
        combined = InvalidInput(first.message, code=first.code, status=first.status,
                                **first.details, fields=[
                                    {"field": p.details.get("field"), "code": p.code,
                                     "message": p.message} for p in self.found])
        combined.problems = list(self.found)
        raise combined
