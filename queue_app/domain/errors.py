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
