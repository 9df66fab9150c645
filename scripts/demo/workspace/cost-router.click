// The element-cost lab router (scripts/lab/cost-router.cpp): each declaration below
// is an object of that C++ class in the running binary.
src :: FromDevice(lab0);
cls :: Classifier(12/0800);
rt :: RadixIPLookup(10.0.0.0/8 0, 0.0.0.0/0 1);
c1 :: Counter;
c2 :: Counter;
sink :: ToDevice(lab1);

src -> cls -> rt -> c1 -> c2 -> sink;
