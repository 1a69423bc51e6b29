"""How the gateway calls the services: query strings as the services read them."""

import aiohttp
import pytest

from gateway.services import MAX_QUERY_VALUE, ServiceClient, ServiceUnavailable, query_of
from havn.auth import Principal
from havn.config import get_settings
from havn.embedded import free_port
from havn.errors import InvalidInput


def test_a_query_string_leaves_out_none_repeats_lists_and_spells_booleans_lowercase():
    assert query_of({"first": 50, "after": None, "by": ["COUNTY", "SEX"], "active": True}) == [
        ("first", "50"),
        ("by", "COUNTY"),
        ("by", "SEX"),
        ("active", "true"),
    ]


@pytest.mark.parametrize(
    ("key", "field"),
    [("name", "name"), ("data_class", "dataClass"), ("arrival_from", "plannedArrivalFrom")],
)
def test_nothing_user_sized_goes_into_a_url_a_long_value_is_bad_input_naming_its_argument(
    key, field
):
    renamed = {"arrival_from": "plannedArrivalFrom"}
    with pytest.raises(InvalidInput) as refused:
        query_of({key: "a" * (MAX_QUERY_VALUE + 1)}, renamed)
    assert refused.value.field == field
    assert query_of({key: "a" * MAX_QUERY_VALUE}) == [(key, "a" * MAX_QUERY_VALUE)]


async def test_a_service_that_does_not_answer_is_unavailable_not_an_unexpected_error():
    # given a client whose intake is a port nothing listens on
    async with aiohttp.ClientSession() as http:
        client = ServiceClient(http, get_settings())
        client.base_urls["intake"] = [f"http://127.0.0.1:{free_port()}"]
        caller = Principal(subject="s", username="u", roles=frozenset(), token="t")

        # when it is called, then the caller is told to try again
        with pytest.raises(ServiceUnavailable, match="intake service is unavailable") as refused:
            await client.call(caller, "intake", "GET", "/v1/children")
    assert refused.value.code == "UNAVAILABLE"


async def test_a_call_goes_to_another_replica_when_one_refuses_the_connection(gql, stack):
    # given intake's replicas: one down (nothing listens on its port), one serving
    async with aiohttp.ClientSession() as http:
        client = ServiceClient(http, stack.settings)
        down = f"http://127.0.0.1:{free_port()}"
        client.base_urls["intake"] = [down, stack.settings.service_url("intake")]
        caller = Principal(
            subject="s",
            username="bergen-coordinator",
            roles=frozenset(),
            token=await gql.token("bergen-coordinator"),
            tenant="4601",
        )

        # when it is called twice (the turn starts once at each replica)
        answers = [await client.call(caller, "intake", "GET", "/v1/referrals") for _ in range(2)]

    # then the serving replica answered both
    assert all("items" in answer for answer in answers)
