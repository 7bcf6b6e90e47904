-- detach_warehouse: let go of the warehouse file once it is copied.
detach checked_warehouse  -- noqa: PRS
