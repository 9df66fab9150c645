// FastClick L2 forwarder between two DPDK ports, as used in the ITC 2021 on-off runs:
// packets from port 0 leave on port 1 with their MAC addresses rewritten, and back.
// Run: click --dpdk -l 0-1 -n 4 -- router.click

define($IN 0, $OUT 1, $BURST 32)

in0  :: FromDPDKDevice($IN, BURST $BURST, PROMISC true);
out1 :: ToDPDKDevice($OUT, BLOCKING true);
in1  :: FromDPDKDevice($OUT, BURST $BURST, PROMISC true);
out0 :: ToDPDKDevice($IN, BLOCKING true);

in0 -> EtherRewrite(SRC 90:e2:ba:00:00:01, DST 90:e2:ba:00:00:02) -> out1;
in1 -> EtherRewrite(SRC 90:e2:ba:00:00:02, DST 90:e2:ba:00:00:01) -> out0;

Script(TYPE ACTIVE,
       label report,
       print "rx0 $(in0.count) rx1 $(in1.count)",
       wait 1s,
       goto report);
